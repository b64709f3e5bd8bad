package dev.copybench.internal.host;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A directory this user can trust: it is no symbolic link, this user owns it, and neither group nor others may
 * write in it, so nothing inside was planted by someone else. Checked with {@code lstat}, never through a link.
 *
 * <pre>{@code
 * Optional<String> why = OwnDirectory.makeOrCheck(Path.of("/run/copybench"));   // empty: use it
 * }</pre>
 */
public final class OwnDirectory {

    static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int geteuid();
    }

    private OwnDirectory() {
    }

    /** The user this JVM acts as (its effective uid): who must own what it trusts. */
    public static int uid() {
        return LibC.INSTANCE.geteuid();
    }

    /** Why dir cannot be trusted (e.g. "is writable by others (rwxrwxrwt)"), or empty when it is this user's own. */
    public static Optional<String> whyNotOwn(Path dir) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:isSymbolicLink,isDirectory,uid,permissions", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.of("does not exist");
        } catch (IOException e) {
            return Optional.of("cannot be examined (" + e + ")");
        }
        if ((Boolean) a.get("isSymbolicLink")) {
            return Optional.of("is a symbolic link");
        }
        if (!(Boolean) a.get("isDirectory")) {
            return Optional.of("is not a directory");
        }
        int owner = (Integer) a.get("uid");
        if (owner != uid()) {
            return Optional.of("is owned by uid " + owner + ", not by this user (uid " + uid() + ")");
        }
        @SuppressWarnings("unchecked")
        Set<PosixFilePermission> mode = (Set<PosixFilePermission>) a.get("permissions");
        if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            return Optional.of("is writable by group or others (" + PosixFilePermissions.toString(mode) + ")");
        }
        Path parent = dir.toAbsolutePath().getParent();
        return parent == null ? Optional.empty() : whyNotSafeToHold(parent).map(why -> "lies under " + why);
    }

    /**
     * Why another user could rename or replace what is made inside {@code dir} (so a check of it by path proves
     * nothing later), or empty: {@code dir} and every directory above it (links resolved) belong to this user or
     * root and are not writable by others, unless sticky like {@code /tmp}.
     */
    public static Optional<String> whyNotSafeToHold(Path dir) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            return Optional.of(dir + ", which cannot be examined (" + e + ")");
        }
        int me = uid();
        for (Path up = real; up != null; up = up.getParent()) {
            Map<String, Object> a;
            try {
                a = Files.readAttributes(up, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                return Optional.of(up + ", which cannot be examined (" + e + ")");
            }
            int owner = (Integer) a.get("uid");
            int mode = (Integer) a.get("mode");
            if (owner != me && owner != 0) {
                return Optional.of(up + ", owned by uid " + owner + ", neither this user nor root");
            }
            if ((mode & 022) != 0 && (mode & 01000) == 0) {
                return Optional.of(up + ", writable by others and not sticky (mode "
                        + String.format(java.util.Locale.ROOT, "%04o", mode & 07777) + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Makes dir (only its owner may enter it) when it is absent, then checks it; why it cannot be trusted, or
     * empty. Missing parents are made with the default permissions: only the last directory holds anything.
     */
    public static Optional<String> makeOrCheck(Path dir) {
        try {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                Files.createDirectories(parent);
            }
            Files.createDirectory(dir, OWNER_ONLY);
        } catch (FileAlreadyExistsException e) {
            // made before, by us or by someone else: the check below tells which
        } catch (IOException e) {
            return Optional.of("cannot be created (" + e + ")");
        }
        return whyNotOwn(dir);
    }
}
