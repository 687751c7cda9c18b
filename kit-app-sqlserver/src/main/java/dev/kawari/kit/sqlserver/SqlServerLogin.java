package dev.kawari.kit.sqlserver;

import dev.kawari.app.PasswordSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to log in to SQL Server.
 *
 * @param url the JDBC URL
 * @param user the login ({@code user}); empty when the URL authenticates otherwise (for example
 *     {@code integratedSecurity=true})
 * @param password where the password is read for each login; present exactly when {@code user} is
 * @param passwordKey the key that named the password source, for problems
 * @param loginTimeout the longest a login may take ({@code login-timeout}), cut short by the deadline
 */
record SqlServerLogin(SqlServerUrl url, Optional<String> user, Optional<PasswordSource> password, String passwordKey,
        Duration loginTimeout) {
    SqlServerLogin {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(passwordKey, "passwordKey");
        Objects.requireNonNull(loginTimeout, "loginTimeout");
        if (user.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("a user needs a password source, and a password source a user");
        }
    }

    /** Releases the password source (the AWS clients of a Secrets Manager source). Idempotent. */
    void close() {
        password.ifPresent(PasswordSource::close);
    }

    /** Who logs in, for messages: {@code user 'kawari_monitor'} or {@code the URL's authentication}. */
    String who() {
        return user.map(name -> "user '" + name + "'").orElse("the URL's authentication");
    }
}
