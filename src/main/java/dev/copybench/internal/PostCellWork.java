package dev.copybench.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

/**
 * What a finished cell leaves to do that nothing waits for: removing its temporary directory, writing
 * its report attachments. It runs on one thread of its own while JUnit records the cell and moves to
 * the next (about 7 ms between one cell's engines ending and the next one's starting, spent on the main
 * thread), and {@link #finish()} is called before the next cell creates anything, so none of it runs
 * while a cell is measured.
 *
 * <pre>{@code
 * work.later(() -> deleteTree(dir));   // after a cell
 * work.finish();                        // before the next one spawns its engines
 * }</pre>
 */
public final class PostCellWork {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "copybench-post-cell");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> pending = new ArrayList<>();

    /** Runs task on the post-cell thread (or here, once the run is closing and the thread is gone). */
    public synchronized void later(Runnable task) {
        try {
            pending.add(thread.submit(task));
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /**
     * Waits until everything handed over so far is done. A task that failed (a directory that would not
     * go, an attachment file not written) is said on the console: it belongs to the cell before, not to
     * the one about to start, and the run record still lists a directory that stayed.
     */
    public void finish() {
        List<Future<?>> waiting;
        synchronized (this) {
            waiting = List.copyOf(pending);
            pending.clear();
        }
        for (Future<?> f : waiting) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                System.out.println("[copybench] a finished cell's clean-up or report file failed: " + e.getCause());
            }
        }
    }

    /** Finishes what is pending and ends the thread. */
    public void close() {
        try {
            finish();
        } finally {
            thread.shutdown();
        }
    }
}
