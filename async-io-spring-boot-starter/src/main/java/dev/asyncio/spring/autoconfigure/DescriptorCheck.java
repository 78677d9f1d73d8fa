package dev.asyncio.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.HandleDefinition;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The start-up check of {@code async-io.descriptors}: the configured handles' max-connections against the process's
 * file descriptor limit less {@code async-io.descriptors.reserve}. Without it, handles whose limits add up past the
 * process's limit let idle clients take every descriptor, and then the web server, health checks and the other
 * handles fail too. Like Redis lowering {@code maxclients} to fit its limit, the default policy {@code cap} lowers
 * each handle's max-connections to a fair share ({@link DescriptorBudget#shares}) and logs one line naming each
 * lowered property with its configured and effective value: WARN when a configured limit was lowered, INFO when only
 * handles without a limit got one. {@code warn} logs the same without changing anything; {@code fail} fails
 * start-up. Where the platform reports no limit, the check is skipped (a DEBUG line says so).
 *
 * <p>Runs once while the context refreshes; stateless apart from its settings.
 */
final class DescriptorCheck {

    private static final Log LOGGER = LogFactory.getLog(DescriptorCheck.class);

    private static final String PREFIX = AsyncIoProperties.PREFIX + ".descriptors";

    private final AsyncIoProperties.Descriptors settings;

    private final DescriptorLimit limit;

    /**
     * @param settings {@code async-io.descriptors}
     * @param limit the process's descriptor limit
     */
    DescriptorCheck(AsyncIoProperties.Descriptors settings, DescriptorLimit limit) {
        this.settings = settings;
        this.limit = limit;
    }

    /**
     * @param definitions the configured handles
     * @return the same handles, with max-connections lowered where the policy caps them
     * @throws AsyncIoConfigurationException for a negative reserve, a reserve that leaves less than one descriptor per
     * handle (policy cap), or max-connections that do not fit (policy fail)
     */
    List<HandleDefinition> apply(List<HandleDefinition> definitions) {
        Integer configuredReserve = this.settings.getReserve();
        if (configuredReserve != null && configuredReserve < 0) {
            throw new AsyncIoConfigurationException(PREFIX + ".reserve", configuredReserve, "must not be negative",
                    "Set the descriptors to keep for everything but the handles' connections, or leave it unset for "
                            + "a quarter of the limit, at most " + DescriptorBudget.DEFAULT_RESERVE_CAP + ".");
        }
        if (definitions.isEmpty()) {
            return definitions;
        }
        OptionalLong max = this.limit.maxFileDescriptors();
        if (max.isEmpty()) {
            LOGGER.debug("The process's file descriptor limit is not known on this platform: the handles' "
                    + "max-connections are not checked against it (" + PREFIX + ")");
            return definitions;
        }
        long processLimit = max.getAsLong();
        long reserve = (configuredReserve != null) ? configuredReserve : DescriptorBudget.defaultReserve(processLimit);
        long budget = processLimit - reserve;
        int[] limits = definitions.stream().mapToInt((d) -> d.options().maxConnections()).toArray();
        if (DescriptorBudget.fits(budget, limits)) {
            return definitions;
        }
        AsyncIoProperties.DescriptorPolicy policy = this.settings.getPolicy();
        String why = "the process's file descriptor limit " + processLimit + " less " + PREFIX + ".reserve " + reserve
                + ((configuredReserve != null) ? "" : " (default: a quarter of the limit, at most "
                        + DescriptorBudget.DEFAULT_RESERVE_CAP + ")")
                + " leaves " + budget + " for the handles' connections";
        if (policy == AsyncIoProperties.DescriptorPolicy.CAP && budget < definitions.size()) {
            throw new AsyncIoConfigurationException(PREFIX + ".reserve", reserve, "is too big: " + why + ", less than "
                    + "one per handle (" + definitions.size() + " handles)",
                    "Raise the process's limit (ulimit -n, systemd LimitNOFILE, docker --ulimit nofile) or lower "
                            + PREFIX + ".reserve.");
        }
        if (policy == AsyncIoProperties.DescriptorPolicy.FAIL) {
            HandleDefinition first = definitions.get(0);
            throw new AsyncIoConfigurationException(property(first), first.options().maxConnections(),
                    "and the other handles' max-connections do not fit: " + why + " (" + describe(definitions, null)
                            + "; " + PREFIX + ".policy=fail)",
                    "Lower the handles' max-connections, raise the process's limit (ulimit -n, systemd LimitNOFILE), "
                            + "or set " + PREFIX + ".policy=cap to lower them to fit.");
        }
        if (policy == AsyncIoProperties.DescriptorPolicy.WARN) {
            LOGGER.warn("The handles' max-connections do not fit: " + why + " (" + describe(definitions, null)
                    + "); a flood of clients can take the descriptors the web server, health checks and the other "
                    + "handles need. Lower them, raise the limit (ulimit -n, systemd LimitNOFILE), or set " + PREFIX
                    + ".policy=cap (" + PREFIX + ".policy=warn)");
            return definitions;
        }
        int[] shares = DescriptorBudget.shares(budget, limits);
        List<HandleDefinition> capped = new ArrayList<>(definitions.size());
        boolean loweredConfigured = false;
        for (int i = 0; i < definitions.size(); i++) {
            HandleDefinition d = definitions.get(i);
            if (shares[i] != limits[i]) {
                loweredConfigured |= limits[i] > 0;
                capped.add(d.with(d.connectionFunction(), d.options().toBuilder().maxConnections(shares[i]).build()));
            }
            else {
                capped.add(d);
            }
        }
        String line = "Capped the handles' max-connections to fit " + why + ": " + describe(definitions, shares)
                + " (" + PREFIX + ".policy=cap; raise the limit or set " + PREFIX + ".reserve to change this)";
        if (loweredConfigured) {
            LOGGER.warn(line);
        }
        else {
            LOGGER.info(line);
        }
        return capped;
    }

    private static String property(HandleDefinition d) {
        String prefix = (d.propertyPrefix() != null) ? d.propertyPrefix() : HandleOptionsMapper.prefix(d.name());
        return prefix + ".max-connections";
    }

    /** @return "prop=configured -> effective, ..." for each changed handle, or "prop=configured, ..." without shares */
    private static String describe(List<HandleDefinition> definitions, int[] shares) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < definitions.size(); i++) {
            HandleDefinition d = definitions.get(i);
            int configured = d.options().maxConnections();
            if (shares != null && shares[i] == configured) {
                continue;
            }
            String value = property(d) + "=" + configured + ((configured == 0) ? " (no limit)" : "");
            parts.add((shares != null) ? value + " -> " + shares[i] : value);
        }
        return String.join(", ", parts);
    }
}
