package dev.kawari.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process together with every process it started: a killed {@code sh -c} must not leave its
 * children running, and a stop command killed at its timeout must not go on stopping things later.
 */
final class ProcessTree {

    private ProcessTree() {
    }

    /**
     * Asks {@code process} and its descendants to terminate, waits up to {@code grace} for them, then
     * kills whatever is left (and whatever that started meanwhile) and waits up to {@code grace}
     * again. If the thread is interrupted meanwhile, it skips the polite wait, still kills everything,
     * and returns with the interrupt flag set.
     *
     * @return the processes still running at the end: empty unless one could not be killed
     */
    static List<ProcessHandle> stop(Process process, Duration grace) {
        // The descendants are found through their parent, so they are listed before the parent dies.
        List<ProcessHandle> family = withDescendants(List.of(process.toHandle()));
        family.forEach(ProcessHandle::destroy);
        boolean interrupted = false;
        List<ProcessHandle> survivors;
        try {
            survivors = awaitExit(process, family, grace);
        } catch (InterruptedException e) {
            interrupted = true; // no time to be polite: kill below, then hand the interrupt on
            survivors = running(family);
        }
        if (!survivors.isEmpty()) {
            List<ProcessHandle> rest = withDescendants(survivors);
            rest.forEach(ProcessHandle::destroyForcibly);
            try {
                survivors = awaitExit(process, rest, grace);
            } catch (InterruptedException e) {
                interrupted = true;
                survivors = running(rest);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return survivors;
    }

    private static List<ProcessHandle> withDescendants(List<ProcessHandle> roots) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (ProcessHandle root : roots) {
            all.add(root);
            root.descendants().forEach(all::add);
        }
        return new ArrayList<>(all);
    }

    /** Waits until none of {@code handles} runs, for about {@code grace}; returns those still running. */
    private static List<ProcessHandle> awaitExit(Process process, List<ProcessHandle> handles, Duration grace)
            throws InterruptedException {
        // Our own child first: waitFor is answered by the kernel at once, and once the parent is gone
        // its children are orphans whose state is settled.
        process.waitFor(grace.toNanos(), TimeUnit.NANOSECONDS);
        List<ProcessHandle> running = running(handles);
        if (running.isEmpty()) {
            return running;
        }
        CompletableFuture<?> allExited = CompletableFuture.allOf(
                running.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
        try {
            allExited.get(grace.toNanos(), TimeUnit.NANOSECONDS);
            return List.of();
        } catch (TimeoutException stillRunning) {
            return running(running);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for processes to exit failed", e.getCause());
        }
    }

    private static List<ProcessHandle> running(List<ProcessHandle> handles) {
        return handles.stream().filter(ProcessTree::isRunning).toList();
    }

    /**
     * Alive and not a zombie. An orphan that has exited stays a zombie until init reaps it, which
     * some inits do only every second or two; {@link ProcessHandle#isAlive()} counts zombies as
     * alive, but they run nothing and hold nothing but their process id.
     */
    static boolean isRunning(ProcessHandle handle) {
        return handle.isAlive() && !isZombie(handle.pid());
    }

    private static boolean isZombie(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return false; // gone altogether
        } catch (IOException e) {
            return false; // no procfs (not Linux): isAlive() alone decides
        }
        // "pid (comm) S ...": the command may itself contain ") ", so look after the last one.
        int end = stat.lastIndexOf(") ");
        return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    }
}
