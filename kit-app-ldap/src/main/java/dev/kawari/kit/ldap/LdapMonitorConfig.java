package dev.kawari.kit.ldap;

import com.unboundid.ldap.sdk.DN;
import dev.kawari.app.PasswordSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code ldap} monitor block.
 *
 * @param connector how to reach the server: {@code url}, {@code start-tls}, {@code ca-file}
 * @param baseDns the suffixes whose entries every check reads ({@code base-dns}); copied. When empty,
 *     the check reads the root DSE instead, which proves that the server answers LDAP
 * @param bind the simple bind to make before reading, if any
 */
record LdapMonitorConfig(LdapConnector connector, List<DN> baseDns, Optional<Bind> bind) {
    LdapMonitorConfig {
        Objects.requireNonNull(connector, "connector");
        baseDns = List.copyOf(baseDns);
        Objects.requireNonNull(bind, "bind");
    }

    /**
     * A simple bind.
     *
     * @param dn {@code bind-dn}
     * @param password where the password is read for each check
     * @param passwordKey the key that named the source, for problems ({@code bind-password-file})
     */
    record Bind(DN dn, PasswordSource password, String passwordKey) {
        Bind {
            Objects.requireNonNull(dn, "dn");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(passwordKey, "passwordKey");
        }
    }
}
