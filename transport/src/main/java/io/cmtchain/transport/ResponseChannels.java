package io.cmtchain.transport;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import org.agrona.SystemUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Which response channel a Connect may name: one that leads back to the host the Connect came from, so that a client
 * cannot make the node send Aeron frames (SETUP, then receipts) to a third party.
 * <ul>
 *   <li>From another host (over UDP, from an address that is not loopback): {@code aeron:udp?endpoint=IP:port} whose
 *       IP is a literal address equal to the Connect's source address ({@code [..]:port} for IPv6; an IPv4-mapped IPv6
 *       address equals its IPv4 form).</li>
 *   <li>From the node's host (over IPC, or over UDP from a loopback address): {@code aeron:ipc}, or a UDP endpoint on
 *       {@code localhost} or a loopback address ({@code 127.0.0.0/8}, {@code ::1}).</li>
 *   <li>From anywhere, never: other media, an {@code aeron-spy:} prefix, a UDP channel with no endpoint, or with
 *       {@code control}, {@code control-mode}, {@code response-endpoint} or {@code response-correlation-id} (the node
 *       would open a multi-destination or response publication, bound or sending where the client says),
 *       {@code interface} (the local address and port the node's socket would bind, a name in it resolved by the
 *       driver), a host name other than {@code localhost} (the media driver would resolve it on its conductor thread,
 *       which a name that resolves slowly holds up, and a name can be made to resolve anywhere), an IPv6 zone
 *       ({@code %eth0}),
 *       an IPv4 part written with a leading zero ({@code 010.0.0.1}: 10.0.0.1 to the JDK, 8.0.0.1 to glibc), a
 *       {@code term-length} or {@code linger} that is no size or duration the node reads (it could not lower a
 *       linger), a {@code term-length} above {@link TransportContext#MAX_RESPONSE_TERM_LENGTH} (the node's media
 *       driver would map three such terms for the session).
 *       A wildcard ({@code 0.0.0.0}) or multicast endpoint is never a source address, so it is refused too.</li>
 * </ul>
 * With the host check off ({@link TransportContext#RESPONSE_HOST_CHECK_PROP}) only the last rule applies. Nothing
 * here looks a name up. Allocates (it parses the channel): for Connects, not for the per-transaction path.
 */
final class ResponseChannels
{
    /** What {@link io.aeron.Image#sourceIdentity()} is for an IPC publication. */
    static final String IPC_SOURCE = TransportContext.IPC_CHANNEL;
    private static final String[] REFUSED_PARAMS = {
        CommonContext.MDC_CONTROL_PARAM_NAME,
        CommonContext.MDC_CONTROL_MODE_PARAM_NAME,
        CommonContext.RESPONSE_ENDPOINT_PARAM_NAME,
        CommonContext.RESPONSE_CORRELATION_ID_PARAM_NAME};
    private static final String LOCALHOST = "localhost";
    private static final int IPV4_LENGTH = 4;

    private ResponseChannels()
    {
    }

    /**
     * @param channel        the response channel a Connect names.
     * @param sourceIdentity where the Connect came from, as the media driver tells it ({@code Image#sourceIdentity}):
     *                       {@code aeron:ipc}, {@code ip:port} ({@code [ipv6]:port} from Aeron's C driver); null when
     *                       unknown.
     * @param checkHost      whether the channel must lead back to the source's host; false checks only what any
     *                       source is refused.
     * @return null if the node opens a publication to {@code channel}; else why not, for a person to read.
     */
    static String refusal(final String channel, final String sourceIdentity, final boolean checkHost)
    {
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(channel);
        }
        catch (final RuntimeException ex)
        {
            return "not an Aeron channel URI (" + ex.getMessage() + ")";
        }
        if (null != uri.prefix() && !uri.prefix().isEmpty())
        {
            return "a prefixed channel (" + uri.prefix() + ") is no response channel";
        }
        final boolean ipc = CommonContext.IPC_MEDIA.equals(uri.media());
        if (!ipc && !CommonContext.UDP_MEDIA.equals(uri.media()))
        {
            return "media must be udp or ipc, was " + uri.media();
        }
        final String badSetting = settingRefusal(uri);
        if (null != badSetting)
        {
            return badSetting;
        }
        byte[] endpoint = null;
        boolean localhost = false;
        if (!ipc)
        {
            for (final String param : REFUSED_PARAMS)
            {
                if (uri.containsKey(param))
                {
                    return "a UDP response channel takes no " + param + " parameter: the node sends to one endpoint";
                }
            }
            if (uri.containsKey(CommonContext.INTERFACE_PARAM_NAME))
            {
                // The address (and port) the node's socket would bind, a name in it resolved on the driver's conductor.
                return "a UDP response channel takes no " + CommonContext.INTERFACE_PARAM_NAME + " parameter: the " +
                    "node sends to one endpoint, from where it chooses";
            }
            final String value = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
            final String host = null == value ? null : endpointHost(value);
            if (null == host)
            {
                return "a UDP response channel needs an endpoint HOST:PORT ([IPV6]:PORT), was " + value;
            }
            localhost = LOCALHOST.equalsIgnoreCase(host);
            endpoint = localhost ? null : literalAddress(host);
            if (!localhost && null == endpoint)
            {
                return "the endpoint host must be an IP address (or localhost on the node's host), was " + host +
                    ": the node resolves no names";
            }
        }
        if (!checkHost)
        {
            return null;
        }

        final byte[] source = sourceAddress(sourceIdentity);
        final boolean localSource = IPC_SOURCE.equals(sourceIdentity) || (null != source && isLoopback(source));
        if (localSource)
        {
            return ipc || localhost || isLoopback(endpoint) ? null :
                "a Connect from the node's host (" + sourceIdentity + ") may name aeron:ipc, localhost or a " +
                "loopback address, not " + uri.get(CommonContext.ENDPOINT_PARAM_NAME);
        }
        if (null == source)
        {
            return "the Connect's source (" + sourceIdentity + ") is no IP address to send back to";
        }
        if (ipc || localhost)
        {
            return "a Connect from another host (" + sourceIdentity + ") must name a UDP endpoint on its own " +
                "address, not " + (ipc ? "aeron:ipc" : LOCALHOST);
        }
        return Arrays.equals(source, endpoint) ? null : "the endpoint " + uri.get(CommonContext.ENDPOINT_PARAM_NAME) +
            " is not on the address the Connect came from (" + sourceIdentity + ")";
    }

    /**
     * The node refuses a term-length above {@link TransportContext#MAX_RESPONSE_TERM_LENGTH} and lowers a linger above
     * its limit ({@link EgressPublisher#responseChannel}); one it cannot read would go to the driver as given, and
     * Aeron's C media driver reads more forms than the node does (strtoll, then one letter: {@code " 1g"},
     * {@code "+1g"}, {@code "1gb"} are 1 GiB there).
     *
     * @return why the channel's term-length or linger is refused, or null when each is absent or one the node takes.
     */
    private static String settingRefusal(final ChannelUri uri)
    {
        final String termLength = uri.get(CommonContext.TERM_LENGTH_PARAM_NAME);
        long termBytes = 0;
        try
        {
            if (null != termLength)
            {
                termBytes = SystemUtil.parseSize(CommonContext.TERM_LENGTH_PARAM_NAME, termLength);
            }
        }
        catch (final RuntimeException ex)
        {
            return "the term-length '" + termLength + "' is no size the node reads (digits, then k, m or g)";
        }
        if (termBytes > TransportContext.MAX_RESPONSE_TERM_LENGTH)
        {
            return "the term-length " + termLength + " is more than a response channel may name (at most " +
                (TransportContext.MAX_RESPONSE_TERM_LENGTH >> 20) + "m, " + TransportContext.MAX_RESPONSE_TERM_LENGTH +
                " bytes; without one the node chooses)";
        }
        final String linger = uri.get(CommonContext.LINGER_PARAM_NAME);
        try
        {
            if (null != linger)
            {
                SystemUtil.parseDuration(CommonContext.LINGER_PARAM_NAME, linger);
            }
        }
        catch (final RuntimeException ex)
        {
            return "the linger '" + linger + "' is no duration the node reads (digits, then s, ms, us or ns)";
        }
        return null;
    }

    /**
     * @param endpoint {@code host:port} or {@code [ipv6]:port}.
     * @return the host (without brackets), or null when there is no port to split it from.
     */
    private static String endpointHost(final String endpoint)
    {
        if (endpoint.startsWith("["))
        {
            final int close = endpoint.indexOf(']');
            return close > 1 && endpoint.startsWith(":", close + 1) ? endpoint.substring(1, close) : null;
        }
        final int colon = endpoint.lastIndexOf(':');
        // An IPv6 address takes brackets in an endpoint; without them its last group is no port.
        return colon > 0 && endpoint.indexOf(':') == colon ? endpoint.substring(0, colon) : null;
    }

    /**
     * @param sourceIdentity {@code ip:port}, {@code [ipv6]:port} or {@code ipv6:port} (the Java driver writes an IPv6
     *                       source without brackets), or anything else.
     * @return the address, or null when it is none.
     */
    private static byte[] sourceAddress(final String sourceIdentity)
    {
        if (null == sourceIdentity)
        {
            return null;
        }
        if (sourceIdentity.startsWith("["))
        {
            final String host = endpointHost(sourceIdentity);
            return null == host ? null : literalAddress(host);
        }
        final int colon = sourceIdentity.lastIndexOf(':');
        return colon > 0 ? literalAddress(sourceIdentity.substring(0, colon)) : null;
    }

    /**
     * @param host text that may be an IP address.
     * @return its address (4 bytes for IPv4 and IPv4-mapped IPv6, else 16), or null if it is not a literal one. Never
     *         looks a name up: IPv4 is parsed here, strictly (four decimal numbers up to 255, none written with a
     *         leading zero), and IPv6 is handed to {@link InetAddress#getByName} only when it is hex digits, colons and
     *         dots starting with a hex digit or a colon, which the JDK parses as a literal or refuses, never resolves;
     *         an IPv4 part at its end is held to the same rule.
     */
    static byte[] literalAddress(final String host)
    {
        final int lastColon = host.lastIndexOf(':');
        if (lastColon < 0)
        {
            return ipv4(host);
        }
        if (host.indexOf('.', lastColon) > 0 && null == ipv4(host.substring(lastColon + 1)))
        {
            return null;
        }
        final char first = host.charAt(0);
        if (':' != first && Character.digit(first, 16) < 0)
        {
            return null;
        }
        for (int i = 0; i < host.length(); i++)
        {
            final char c = host.charAt(i);
            if (':' != c && '.' != c && Character.digit(c, 16) < 0)
            {
                return null;
            }
        }
        try
        {
            return InetAddress.getByName(host).getAddress();
        }
        catch (final UnknownHostException ex)
        {
            return null;
        }
    }

    private static byte[] ipv4(final String host)
    {
        final byte[] address = new byte[IPV4_LENGTH];
        int part = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= host.length(); i++)
        {
            final char c = i < host.length() ? host.charAt(i) : '.';
            if ('.' == c)
            {
                if (0 == digits || part == IPV4_LENGTH)
                {
                    return null;
                }
                address[part++] = (byte)value;
                value = 0;
                digits = 0;
            }
            else if (c >= '0' && c <= '9' && digits < 3)
            {
                if (1 == digits && 0 == value)
                {
                    // A leading zero: the JDK reads 010 as 10, glibc's getaddrinfo (with which Aeron's C media driver
                    // resolves what inet_pton refuses) as octal 8: one host here, another for such a driver.
                    return null;
                }
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255)
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
        }
        return part == IPV4_LENGTH ? address : null;
    }

    private static boolean isLoopback(final byte[] address)
    {
        if (null == address)
        {
            return false;
        }
        if (IPV4_LENGTH == address.length)
        {
            return 127 == address[0];
        }
        for (int i = 0; i < address.length - 1; i++)
        {
            if (0 != address[i])
            {
                return false;
            }
        }
        return 1 == address[address.length - 1];
    }
}
