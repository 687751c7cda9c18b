package dev.kawari.kit.sqlserver;

import com.microsoft.sqlserver.jdbc.SQLServerDriver;
import dev.kawari.spi.OperationContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens a connection, runs some work on it and closes it, bounded by the operation's deadline and
 * answering interrupts.
 *
 * <p>A JDBC call blocked on a socket ignores interrupts, and the driver's login timeout counts whole
 * seconds. So the work runs on a thread of its own while the caller waits for it with the deadline:
 * at the deadline or on an interrupt the caller walks away at once, aborting the connection if one is
 * open, and interrupts the thread (which ends the driver's pauses between login retries). A thread
 * blocked on a silent socket ends by itself at the driver's socket timeout, set to the check's whole
 * budget, and closes what it opened; so an abandoned thread outlives its check by about one budget.
 */
final class SqlServerConnector {

    /** Work on an open connection; {@code queryTimeout} bounds each statement. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection, Duration queryTimeout) throws SQLException;
    }

    /** The name of every thread that talks to SQL Server starts with this. */
    static final String THREAD_PREFIX = "kawari-sqlserver-";

    private final SqlServerLogin login;
    private final SQLServerDriver driver = new SQLServerDriver();

    SqlServerConnector(SqlServerLogin login) {
        this.login = Objects.requireNonNull(login, "login");
    }

    SqlServerLogin login() {
        return login;
    }

    /**
     * Logs in, within {@code login-timeout} and the deadline, and runs {@code work} within the deadline.
     *
     * @param queryTimeout the longest one statement may take, cut short by the deadline
     * @return what {@code work} returned, or empty when the login timeout or the deadline passed first
     * @throws SQLException what the driver or {@code work} threw
     * @throws InterruptedException if the thread was interrupted; the connection is aborted
     * @throws dev.kawari.spi.KawariException {@link SqlServerKit#SQLSERVER_PASSWORD_UNAVAILABLE} when the
     *     password cannot be read
     */
    <T> Optional<T> withConnection(OperationContext context, Duration queryTimeout, Work<T> work)
            throws SQLException, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before logging in to " + login.url().server());
        }
        Properties properties = new Properties();
        login.user().ifPresent(user -> properties.setProperty("user", user));
        login.password().ifPresent(source -> properties.setProperty("password", source.read(context).value()));
        Duration budget = context.deadline().remaining();
        if (budget.isZero()) {
            return Optional.empty();
        }
        Duration loginLimit = cap(login.loginTimeout(), budget);
        properties.setProperty("loginTimeout", Long.toString(wholeSeconds(loginLimit)));
        // A safety net for the abandoned thread: no read on the socket, the login's included, waits longer.
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, budget.toMillis())));
        if (!login.url().sets("applicationName")) {
            properties.setProperty("applicationName", "kawari");
        }
        long started = context.time().nanoTime();
        AtomicReference<Connection> open = new AtomicReference<>();
        CountDownLatch loggedIn = new CountDownLatch(1);
        FutureTask<T> task = new FutureTask<>(() -> {
            try (Connection connection = driver.connect(login.url().text(), properties)) {
                open.set(connection);
                loggedIn.countDown();
                return work.run(connection, cap(queryTimeout, context.deadline().remaining()));
            }
        });
        Thread thread = new Thread(task, THREAD_PREFIX + context.service() + "/" + context.subject());
        thread.setDaemon(true);
        thread.start();
        try {
            if (!loggedIn.await(loginLimit.toNanos(), TimeUnit.NANOSECONDS) && !task.isDone()) {
                abandon(thread, open, context);
                return Optional.empty();
            }
            Duration left = budget.minus(Duration.ofNanos(context.time().nanoTime() - started));
            return Optional.ofNullable(task.get(Math.max(0, left.toNanos()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            abandon(thread, open, context);
            return Optional.empty();
        } catch (InterruptedException e) {
            abandon(thread, open, context);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("unexpected failure talking to " + login.url().server(), cause);
        }
    }

    private static void abandon(Thread thread, AtomicReference<Connection> open, OperationContext context) {
        thread.interrupt();
        Connection connection = open.get();
        if (connection != null) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                context.events().note("could not abort the connection of an abandoned check: " + e.getMessage(),
                        Map.of());
            }
        }
    }

    /** Whole seconds, rounded up, at least one: what the driver's timeouts accept. */
    static long wholeSeconds(Duration duration) {
        long millis = Math.max(1, duration.toMillis());
        return (millis + 999) / 1000;
    }

    static Duration cap(Duration wanted, Duration limit) {
        return wanted.compareTo(limit) < 0 ? wanted : limit;
    }
}
