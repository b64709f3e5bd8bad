package dev.copybench.internal.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The engine binaries the jar carries per platform ({@code dev/copybench/internal/native/<os>-<arch>/}),
 * extracted once per version and content into a cache directory, the way Testcontainers and JNA
 * ship their native parts. Each file is written to a private temporary name, checked against the
 * jar's SHA-256 manifest and renamed into place, so JVMs extracting at once neither fail nor see a
 * half-written binary: rename(2) is atomic and the contents are identical.
 *
 * <p>The cache is only a source: what runs is a copy in a directory of the run's own
 * ({@link #copyVerified}), checked there, because a path checked once and executed on every cell is a
 * path anyone who can write the cache can swap. A cache directory is used only when {@link #untrusted}
 * finds nothing wrong with it.
 */
final class EngineCache {

    static final String RESOURCES = "/dev/copybench/internal/native/";
    static final String MANIFEST = "engine.sha256";
    /** Platforms a build may pack; the jar carries those its build machine could compile for. */
    private static final List<String> PLATFORMS = List.of("linux-x86_64", "linux-aarch64");

    private EngineCache() {
    }

    /** {@code linux-x86_64}, from the JVM's view of the machine. */
    static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).replace(" ", "");
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> System.getProperty("os.arch");
        };
        return os + "-" + arch;
    }

    /**
     * The directory with the engine for {@code platform} (see {@link #platform()}), extracted and verified.
     *
     * @throws IllegalStateException naming the platform when the jar carries no engine for it
     */
    static Path extract(Path cacheRoot, String version, String platform) {
        Map<String, String> hashes = manifest(platform).orElseThrow(() -> new IllegalStateException(
                "copybench has no engine for " + platform + ": this jar carries " + carried()
                        + "; build one with `make -C native` on such a host and point copybench.native.dir at native/build"));
        String content = sha256(String.join("\n", hashes.values()).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path dir = cacheRoot.resolve(version + "-" + content).resolve(platform);
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            for (Map.Entry<String, String> file : hashes.entrySet()) {
                Path target = dir.resolve(file.getKey());
                if (!Files.isRegularFile(target) || !sha256(Files.readAllBytes(target)).equals(file.getValue())) {
                    place(platform, file.getKey(), file.getValue(), target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the engine could not be extracted into " + dir + ": " + e.getMessage()
                    + " (set copybench.cache.dir to a writable directory)", e);
        }
        return dir;
    }

    private static void place(String platform, String name, String hash, Path target) throws IOException {
        byte[] bytes = fromJar(platform, name, hash);
        Path temp = Files.createTempFile(target.getParent(), "." + name + "-", ".part",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.write(temp, bytes);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Why {@code dir} cannot be trusted with the engine, or empty: it must be a real directory (not a
     * symbolic link) owned by this user and writable by nobody else, and every directory above it owned
     * by this user or root and writable by nobody else, or sticky like {@code /tmp} (where nobody can
     * rename what is not theirs). Read with lstat: a link is judged, never followed.
     */
    static Optional<String> untrusted(Path dir) {
        return OwnDirectory.whyNotOwn(dir).map(why -> dir + " " + why);
    }

    /**
     * Writes the engine for {@code platform} into {@code into} (an empty directory only this run can write):
     * each file from {@code cached} when its bytes match the jar's manifest, else from the jar, created anew
     * (never through an existing name or link) and read back to check it is what was checked.
     *
     * @throws IllegalStateException naming the file when the copy is not what was written
     */
    static void copyVerified(Optional<Path> cached, String platform, Path into) throws IOException {
        Map<String, String> hashes = manifest(platform).orElseThrow(() -> new IllegalStateException(
                "copybench has no engine for " + platform + ": this jar carries " + carried()));
        for (Map.Entry<String, String> file : hashes.entrySet()) {
            byte[] bytes = null;
            if (cached.isPresent() && Files.isRegularFile(cached.get().resolve(file.getKey()), LinkOption.NOFOLLOW_LINKS)) {
                byte[] read = Files.readAllBytes(cached.get().resolve(file.getKey()));
                bytes = sha256(read).equals(file.getValue()) ? read : null;
            }
            writeChecked(bytes != null ? bytes : fromJar(platform, file.getKey(), file.getValue()), file.getValue(),
                    into.resolve(file.getKey()));
        }
    }

    /** Writes bytes to a new file (0700) and reads it back: what is there is what was checked. */
    static void writeChecked(byte[] bytes, String hash, Path target) throws IOException {
        Files.createFile(target, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.write(target, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        if (!sha256(Files.readAllBytes(target)).equals(hash)) {
            throw new IllegalStateException(target + " changed while it was written: it is not the engine that was checked");
        }
    }

    private static byte[] fromJar(String platform, String name, String hash) throws IOException {
        byte[] bytes;
        try (InputStream in = EngineCache.class.getResourceAsStream(RESOURCES + platform + "/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the jar lists " + name + " for " + platform + " but does not carry it");
            }
            bytes = in.readAllBytes();
        }
        if (!sha256(bytes).equals(hash)) {
            throw new IllegalStateException("the jar's " + platform + "/" + name + " does not match its SHA-256 manifest: "
                    + "the jar is damaged");
        }
        return bytes;
    }

    /** File name → SHA-256, from the platform's manifest in the jar. */
    static Optional<Map<String, String>> manifest(String platform) {
        try (InputStream in = EngineCache.class.getResourceAsStream(RESOURCES + platform + "/" + MANIFEST)) {
            if (in == null) {
                return Optional.empty();
            }
            Map<String, String> hashes = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.strip().split("\\s+\\*?", 2);
                if (parts.length == 2) {
                    hashes.put(parts[1], parts[0]);
                }
            }
            return Optional.of(hashes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String carried() {
        List<String> carried = PLATFORMS.stream().filter(p -> manifest(p).isPresent()).toList();
        return carried.isEmpty() ? "no engine at all (was it built without native/?)" : "engines for " + String.join(", ", carried);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
