package dev.copybench.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

class PostCellWorkTest {

    @Test
    void finishReturnsOnlyWhenEveryTaskHandedOverIsDone() throws Exception {
        PostCellWork work = new PostCellWork();
        CountDownLatch started = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        work.later(() -> {
            started.countDown();
            sleep(200);
            done.add("directory removed");
        });
        work.later(() -> done.add("attachment written"));
        started.await();

        work.finish();

        assertThat(done).containsExactly("directory removed", "attachment written");
        work.close();
    }

    @Test
    void aFailedTaskIsReportedAndTheOthersStillRun() {
        PostCellWork work = new PostCellWork();
        List<String> done = new CopyOnWriteArrayList<>();
        work.later(() -> {
            throw new IllegalStateException("attachment file not written");
        });
        work.later(() -> done.add("directory removed"));

        work.finish();   // the failure belongs to the cell before: it is said, not thrown at the next cell

        assertThat(done).containsExactly("directory removed");
        work.close();
    }

    @Test
    void afterCloseATaskRunsAtOnceOnTheCallersThread() {
        PostCellWork work = new PostCellWork();
        work.close();
        List<String> ranOn = new CopyOnWriteArrayList<>();

        work.later(() -> ranOn.add(Thread.currentThread().getName()));

        assertThat(ranOn).containsExactly(Thread.currentThread().getName());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
