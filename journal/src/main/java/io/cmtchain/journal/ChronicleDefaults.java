package io.cmtchain.journal;

/**
 * System properties Chronicle reads when its classes initialise, set before any Chronicle class is touched.
 * <p>
 * chronicle-core 2026.x decides once, in {@code AnalyticsFacade.isEnabled()}, whether to send usage events to
 * Google Analytics: only when the {@code chronicle-analytics} jar is present and {@code chronicle.analytics.disable}
 * is not true. The journal's POM excludes that jar and this class sets the property, so either alone keeps the
 * node silent on the network. {@code chronicle.announcer.disable} stops the start-up banner
 * ({@code InternalAnnouncer}).
 */
final class ChronicleDefaults
{
    static final String ANALYTICS_DISABLE = "chronicle.analytics.disable";
    static final String ANNOUNCER_DISABLE = "chronicle.announcer.disable";

    static
    {
        System.setProperty(ANALYTICS_DISABLE, "true");
        System.setProperty(ANNOUNCER_DISABLE, "true");
    }

    private ChronicleDefaults()
    {
    }

    /** Runs the static initialiser above; call before the first use of any Chronicle class. */
    static void apply()
    {
        // The work is in the static initialiser, which the JVM runs exactly once.
    }
}
