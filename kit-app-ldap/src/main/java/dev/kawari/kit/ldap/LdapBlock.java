package dev.kawari.kit.ldap;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import dev.kawari.spi.KitBlock;
import dev.kawari.spi.KitContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code ldap-server} or {@code ldap} block being validated: the shared {@link KitBlock} readings
 * plus LDAP's own value kinds (URLs, DNs). Every read reports its problems at its key and returns
 * empty after one; {@link #reportedProblems()} says whether any read did.
 */
final class LdapBlock {
    static final List<String> ARGUMENT_VECTOR_EXAMPLE = List.of("systemctl", "start", "slapd");

    private final KitBlock block;

    LdapBlock(Config config, KitContext context) {
        this.block = new KitBlock(config, context);
    }

    boolean reportedProblems() {
        return block.reportedProblems();
    }

    void problem(String key, String message) {
        block.problem(key, message);
    }

    boolean isSet(String key) {
        return block.has(key);
    }

    /** A required argument vector. */
    Optional<List<String>> argumentVector(String key) {
        return block.argumentVector(key, true, ARGUMENT_VECTOR_EXAMPLE);
    }

    /** A required duration greater than zero, written with a unit. */
    Optional<Duration> positiveDuration(String key) {
        return block.positiveDuration(key);
    }

    /** A required boolean. */
    Optional<Boolean> bool(String key) {
        if (!block.has(key)) {
            block.problem(key, "'" + key + "' must be true or false");
        }
        return block.optionalBool(key);
    }

    /** An optional absolute file path. */
    Optional<Path> absolutePath(String key) {
        return block.absolutePath(key, "an absolute file path");
    }

    Optional<LdapUrl> url(String key) {
        return block.requiredString(key, "an LDAP URL such as ldap://127.0.0.1:389").flatMap(text -> {
            try {
                return Optional.of(LdapUrl.parse(text));
            } catch (IllegalArgumentException e) {
                block.problem(key, "'" + key + "': " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** An optional distinguished name, checked for syntax. */
    Optional<DN> dn(String key) {
        return block.optionalString(key).flatMap(text -> parseDn(key, text));
    }

    /** A list of distinguished names; empty when absent. */
    Optional<List<DN>> dnList(String key) {
        Optional<ConfigValue> value = block.value(key);
        if (value.isEmpty()) {
            return Optional.of(List.of());
        }
        if (!(value.get() instanceof ConfigList list)) {
            block.problem(key, "'" + key + "' must be a list of DNs such as [\"dc=example,dc=com\"]");
            return Optional.empty();
        }
        List<DN> dns = new ArrayList<>();
        boolean sound = true;
        for (ConfigValue element : list) {
            if (element.valueType() != ConfigValueType.STRING) {
                block.problem(key, "'" + key + "' must be a list of DNs (strings) such as [\"dc=example,dc=com\"]");
                return Optional.empty();
            }
            Optional<DN> dn = parseDn(key, (String) element.unwrapped());
            if (dn.isPresent()) {
                dns.add(dn.get());
            } else {
                sound = false;
            }
        }
        return sound ? Optional.of(List.copyOf(dns)) : Optional.empty();
    }

    private Optional<DN> parseDn(String key, String text) {
        try {
            return Optional.of(new DN(text));
        } catch (LDAPException e) {
            block.problem(key, "'" + text + "' in '" + key + "' is not a valid DN: " + e.getExceptionMessage());
            return Optional.empty();
        }
    }
}
