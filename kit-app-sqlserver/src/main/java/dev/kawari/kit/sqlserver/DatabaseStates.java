package dev.kawari.kit.sqlserver;

import dev.kawari.spi.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Level 2's verdict: every configured database is present in {@code sys.databases} with state
 * {@code ONLINE}. Names compare without regard to case, as SQL Server's default collations do.
 */
final class DatabaseStates {
    /** The query; one parameter per configured database. */
    static String query(int databases) {
        return "SELECT name, state_desc FROM sys.databases WHERE name IN ("
                + String.join(", ", java.util.Collections.nCopies(databases, "?")) + ")";
    }

    private DatabaseStates() {
    }

    /**
     * @param configured the databases that must be ONLINE
     * @param found each name found to its {@code state_desc}
     */
    static CheckResult verdict(List<String> configured, Map<String, String> found, String server) {
        Map<String, String> states = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        states.putAll(found);
        List<String> wrong = new ArrayList<>();
        for (String database : configured) {
            String state = states.get(database);
            if (state == null) {
                wrong.add(database + " is missing");
            } else if (!state.equals("ONLINE")) {
                wrong.add(database + " is " + state);
            }
        }
        return wrong.isEmpty() ? CheckResult.healthy()
                : CheckResult.unhealthy("on " + server + " not every database is ONLINE: " + String.join(", ", wrong));
    }
}
