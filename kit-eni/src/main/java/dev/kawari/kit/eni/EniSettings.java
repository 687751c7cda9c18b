package dev.kawari.kit.eni;

import com.typesafe.config.Config;
import dev.kawari.aws.BlockReader;
import dev.kawari.spi.ProblemReporter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code eni} block, validated.
 *
 * @param eniId the dedicated network interface
 * @param deviceIndex where to attach it (1 or more)
 * @param forceDetach whether to detach it from another instance with {@code Force}
 * @param detachOnRemove whether remove detaches it from this node
 * @param upCommand what brings the interface up in the operating system instead of the built-in
 *     {@code ip} commands, with placeholders
 * @param downCommand what takes it down instead of the built-in {@code ip} commands, with placeholders
 * @param restoreTimeout how long restore and recover may take
 * @param removeTimeout how long remove may take
 * @param checkTimeout how long a check may take
 */
record EniSettings(
        String eniId,
        int deviceIndex,
        boolean forceDetach,
        boolean detachOnRemove,
        Optional<List<String>> upCommand,
        Optional<List<String>> downCommand,
        Duration restoreTimeout,
        Duration removeTimeout,
        Duration checkTimeout) {

    /** The placeholders of {@code up-command} and {@code down-command}. */
    static final Set<String> PLACEHOLDERS = Set.of("device", "address", "prefix", "gateway", "mac");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z-]*)}");
    /** The highest device index accepted; instances have far fewer interfaces. */
    static final int HIGHEST_DEVICE_INDEX = 127;

    EniSettings {
        Objects.requireNonNull(eniId, "eniId");
        upCommand = upCommand.map(List::copyOf);
        downCommand = downCommand.map(List::copyOf);
        Objects.requireNonNull(restoreTimeout, "restoreTimeout");
        Objects.requireNonNull(removeTimeout, "removeTimeout");
        Objects.requireNonNull(checkTimeout, "checkTimeout");
    }

    /** The block's settings, or empty when a problem was reported. */
    static Optional<EniSettings> read(Config block, ProblemReporter problems) {
        int[] reported = {0};
        ProblemReporter counting = (key, message) -> {
            reported[0]++;
            problems.problem(key, message);
        };
        BlockReader keys = new BlockReader(block, counting);
        Optional<String> eni = keys.requiredString("eni-id", "the dedicated network interface, such as"
                + " \"eni-0123456789abcdef0\"").filter(id -> keys.checkId("eni-id", id, "eni-"));
        int deviceIndex = keys.integer("device-index", 1, HIGHEST_DEVICE_INDEX).orElse(1);
        boolean force = keys.bool("force-detach", false);
        boolean detach = keys.bool("detach-on-remove", false);
        Optional<List<String>> up = keys.argumentVector("up-command", false, List.of("networkctl", "reconfigure", "{device}"))
                .filter(command -> placeholdersKnown("up-command", command, counting));
        Optional<List<String>> down = keys.argumentVector("down-command", false, List.of("ip", "link", "set", "{device}",
                "down")).filter(command -> placeholdersKnown("down-command", command, counting));
        Duration restore = keys.positiveDuration("timeouts.restore", Duration.ofMinutes(3));
        Duration remove = keys.positiveDuration("timeouts.remove", Duration.ofMinutes(1));
        Duration check = keys.positiveDuration("timeouts.check", Duration.ofSeconds(20));
        if (reported[0] > 0 || eni.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EniSettings(eni.get(), deviceIndex, force, detach, up, down, restore, remove, check));
    }

    private static boolean placeholdersKnown(String key, List<String> command, ProblemReporter problems) {
        for (String argument : command) {
            Matcher matcher = PLACEHOLDER.matcher(argument);
            while (matcher.find()) {
                if (!PLACEHOLDERS.contains(matcher.group(1))) {
                    problems.problem(key, "'" + key + "' uses the unknown placeholder " + matcher.group()
                            + "; the known ones are {device}, {address}, {prefix}, {gateway} and {mac}");
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code command} with every placeholder replaced by its value. */
    static List<String> expand(List<String> command, java.util.Map<String, String> values) {
        return command.stream().map(argument -> {
            Matcher matcher = PLACEHOLDER.matcher(argument);
            StringBuilder expanded = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(expanded, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1),
                        matcher.group())));
            }
            matcher.appendTail(expanded);
            return expanded.toString();
        }).toList();
    }

    /** The routing table of the built-in configuration: 10000 + the device index. */
    int routingTable() {
        return 10000 + deviceIndex;
    }
}
