package dev.kawari.agent;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.kawari.agent.demo.DemoCommand;
import dev.kawari.engine.EngineModule;
import dev.kawari.engine.config.InvalidConfigException;
import dev.kawari.engine.config.ConfigProblem;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kawari} command. */
@Command(
        name = "kawari",
        mixinStandardHelpOptions = true,
        versionProvider = Kawari.Version.class,
        description = "High availability for services on Amazon EC2.",
        subcommands = {
            ValidateCommand.class,
            KitsCommand.class,
            RunCommand.class,
            ActionCommand.Restore.class,
            ActionCommand.Remove.class,
            ActionCommand.Check.class,
            IamPolicyCommand.class,
            StatusCommand.class,
            SwitchoverCommand.class,
            MaintenanceCommand.class,
            CoordinatorCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 success or healthy, 1 failed or unhealthy, 2 bad usage or configuration,"
                    + " 3 could not tell (checks)."
        })
public final class Kawari implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. Used by {@link #main} and by tests. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Module... overrides) {
        Injector injector = Guice.createInjector(com.google.inject.util.Modules.override(new EngineModule()).with(overrides));
        CommandLine commandLine = new CommandLine(Kawari.class, new GuiceFactory(injector));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler((problem, arguments) -> {
            CommandLine failed = problem.getCommandLine();
            failed.getErr().println("kawari: " + problem.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.USAGE;
        });
        commandLine.setExecutionExceptionHandler((problem, failed, parsed) -> {
            if (problem instanceof InvalidConfigException invalid) {
                for (ConfigProblem line : invalid.problems()) {
                    failed.getErr().println(line);
                }
                return ExitCode.USAGE;
            }
            if (problem instanceof UsageException) {
                failed.getErr().println("kawari: " + problem.getMessage());
                return ExitCode.USAGE;
            }
            failed.getErr().println("kawari: " + problem);
            return ExitCode.FAILED;
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Kawari.class.getPackage().getImplementationVersion();
            return new String[] {"kawari " + (version == null ? "(development build)" : version)};
        }
    }
}
