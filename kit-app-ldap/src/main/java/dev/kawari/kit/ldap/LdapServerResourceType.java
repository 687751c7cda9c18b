package dev.kawari.kit.ldap;

import com.unboundid.util.ssl.TrustAllTrustManager;
import dev.kawari.app.Command;
import dev.kawari.app.CommandRunner;
import dev.kawari.spi.KitContext;
import dev.kawari.spi.Resource;
import dev.kawari.spi.ResourceDefinition;
import dev.kawari.spi.ResourceType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Resource type {@code ldap-server}: keys {@code start}, {@code stop} (argument vectors, required),
 * {@code url} (where the server answers when up; default {@code ldap://127.0.0.1:389}) and {@code
 * ready-timeout} (default 60s). See {@link LdapServerResource} for what the actions do.
 */
public final class LdapServerResourceType implements ResourceType {

    @Override
    public String id() {
        return "ldap-server";
    }

    @Override
    public String description() {
        return "an LDAP server (OpenLDAP slapd) started and stopped by commands; restore waits until it answers";
    }

    /** Validates the block and builds the resource; touches nothing. Returns null after reporting problems. */
    @Override
    public Resource create(ResourceDefinition definition, KitContext context) {
        LdapBlock block = new LdapBlock(definition.config(), context);
        Optional<List<String>> start = block.argumentVector("start");
        Optional<List<String>> stop = block.argumentVector("stop");
        Optional<LdapUrl> url = block.url("url");
        Optional<Duration> readyTimeout = block.positiveDuration("ready-timeout");
        if (block.reportedProblems()) {
            return null;
        }
        LdapServerConfig config = new LdapServerConfig(Command.of(start.orElseThrow()), Command.of(stop.orElseThrow()),
                url.orElseThrow(), readyTimeout.orElseThrow());
        // The probe sends no credentials: for ldaps it accepts any certificate (see ServerProbe).
        LdapConnector connector = new LdapConnector(config.url(), false, new TrustAllTrustManager(), false);
        return new LdapServerResource(config, new ServerProbe(connector), new CommandRunner(LdapKit.COMMAND_ERRORS));
    }
}
