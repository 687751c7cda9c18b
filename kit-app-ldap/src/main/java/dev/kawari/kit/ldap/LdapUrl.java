package dev.kawari.kit.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.util.Locale;
import java.util.Objects;

/**
 * Where an LDAP server listens: {@code ldap://host:port} or {@code ldaps://host:port} (TLS from the
 * first byte). The port defaults to 389 and 636.
 *
 * @param secure true for {@code ldaps}
 * @param host a host name or address
 * @param port 1 to 65535
 */
record LdapUrl(boolean secure, String host, int port) {
    LdapUrl {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("an LDAP URL names a host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong, for a configuration problem
     */
    static LdapUrl parse(String text) {
        LDAPURL url;
        try {
            url = new LDAPURL(text);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("'" + text + "' is not an LDAP URL (" + e.getDiagnosticMessage()
                    + "); write ldap://host:port or ldaps://host:port");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
            throw new IllegalArgumentException("'" + text + "' uses scheme '" + scheme
                    + "'; only ldap:// and ldaps:// are supported (ldapi:// Unix sockets are not)");
        }
        if (!url.hostProvided()) {
            throw new IllegalArgumentException("'" + text + "' names no host; write ldap://127.0.0.1:389 for a server"
                    + " on this node");
        }
        if (url.baseDNProvided() || url.attributesProvided() || url.scopeProvided() || url.filterProvided()) {
            throw new IllegalArgumentException("'" + text + "' has a DN, attributes, a scope or a filter; give only"
                    + " the scheme, host and port (the suffixes to search go in base-dns)");
        }
        return new LdapUrl(scheme.equals("ldaps"), url.getHost(), url.getPort());
    }

    @Override
    public String toString() {
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (secure ? "ldaps://" : "ldap://") + shown + ":" + port;
    }
}
