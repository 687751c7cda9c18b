package dev.kawari.kit.sqlserver;

import dev.kawari.spi.CheckResult;
import dev.kawari.spi.Monitor;
import dev.kawari.spi.OperationContext;
import dev.kawari.spi.ProblemReporter;
import java.util.Objects;

/** The {@code sqlserver} check at its configured level; see {@link SqlServerKit} for what each outcome answers. */
final class SqlServerMonitor implements Monitor {
    private final SqlServerProbe probe;

    SqlServerMonitor(SqlServerProbe probe) {
        this.probe = Objects.requireNonNull(probe, "probe");
    }

    @Override
    public CheckResult check(OperationContext context) throws InterruptedException {
        return probe.check(context);
    }

    /** Checks that the password can be read on this node; asks nothing of SQL Server. */
    @Override
    public void verify(OperationContext context, ProblemReporter problems) {
        SqlServerLogin login = probe.connector().login();
        login.password().ifPresent(source -> source.verify(login.passwordKey(), context, problems));
    }

    @Override
    public void close() {
        probe.connector().login().close();
    }

    @Override
    public String toString() {
        return "SqlServerMonitor[" + probe.connector().login().url().server() + ", level " + probe.level() + "]";
    }
}
