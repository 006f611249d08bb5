package io.cmtchain.transport;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.driver.Configuration;
import io.aeron.logbuffer.FrameDescriptor;
import io.aeron.protocol.DataHeaderFlyweight;
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
 *       driver would map three such terms for the session), and what the media driver would refuse to publish on,
 *       which would leave the Connect unanswered with no word why: a {@code term-length} that is no power of two
 *       from 64 KiB, an {@code mtu} that is no multiple of 32 from 64 to 65504 or is more than an eighth of the term
 *       length, a {@code pub-wnd} below the mtu or above half the term length, {@code init-term-id}, {@code term-id}
 *       and {@code term-offset} not all three whole numbers, a term-offset that is no multiple of 32 within the term,
 *       a term-id before the init-term-id, a {@code session-id} that is no int or is a tag ({@code tag:N}: the
 *       session, and term length, of a publication of the node's driver, which no response publication shares). The
 *       term length is the channel's, or the one the node writes into a channel that names none
 *       ({@link TransportContext#RESPONSE_TERM_LENGTH_PROP}).
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
     * @return null if a node that gives a channel naming no term-length the largest one it may
     *         ({@link TransportContext#MAX_RESPONSE_TERM_LENGTH}) opens a publication to {@code channel}, as every
     *         node does for what it refuses; else why not, for a person to read.
     */
    static String refusal(final String channel, final String sourceIdentity, final boolean checkHost)
    {
        return refusal(channel, sourceIdentity, checkHost, TransportContext.MAX_RESPONSE_TERM_LENGTH);
    }

    /**
     * @param channel        the response channel a Connect names.
     * @param sourceIdentity where the Connect came from, as for {@link #refusal(String, String, boolean)}.
     * @param checkHost      whether the channel must lead back to the source's host.
     * @param nodeTermLength the term length the node writes into a channel that names none
     *                       ({@link TransportContext#responseTermLength()}), which the media driver checks an
     *                       {@code mtu}, {@code pub-wnd} or {@code term-offset} against.
     * @return null if the node opens a publication to {@code channel}; else why not, for a person to read.
     */
    static String refusal(
        final String channel, final String sourceIdentity, final boolean checkHost, final int nodeTermLength)
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
        final String badSetting = settingRefusal(uri, nodeTermLength);
        if (null != badSetting)
        {
            return badSetting;
        }
        final String badSession = sessionIdRefusal(uri);
        if (null != badSession)
        {
            return badSession;
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
     * {@code "+1g"}, {@code "1gb"} are 1 GiB there). The settings the media driver checks against the session's term
     * length (the channel's, or the one the node writes into a channel that names none) are checked here as the driver
     * checks them: one it refuses would leave the Connect unanswered until the client's timeout, which could not say
     * why.
     *
     * @param nodeTermLength the term length the node gives a channel that names none.
     * @return why the channel's term-length, mtu, pub-wnd, position (init-term-id, term-id, term-offset) or linger is
     * refused, or null when each is absent or one the node takes.
     */
    private static String settingRefusal(final ChannelUri uri, final int nodeTermLength)
    {
        final String termLength = uri.get(CommonContext.TERM_LENGTH_PARAM_NAME);
        final long termBytes = null == termLength ? nodeTermLength : size(termLength);
        if (termBytes < 0)
        {
            return "the term-length '" + termLength + "' is no size the node reads (digits, then k, m or g)";
        }
        if (termBytes > TransportContext.MAX_RESPONSE_TERM_LENGTH)
        {
            return "the term-length " + termLength + " is more than a response channel may name (at most " +
                (TransportContext.MAX_RESPONSE_TERM_LENGTH >> 20) + "m, " + TransportContext.MAX_RESPONSE_TERM_LENGTH +
                " bytes; without one the node chooses)";
        }
        if (!TransportContext.isResponseTermLength(termBytes))
        {
            return "the term-length " + termLength + " is no power of two from 64k to 16m (" +
                TransportContext.MIN_RESPONSE_TERM_LENGTH + " to " + TransportContext.MAX_RESPONSE_TERM_LENGTH +
                " bytes), which a media driver refuses";
        }
        final String term =
            null == termLength ? "the node's term length, " + termBytes : "the term-length " + termLength;

        final String mtu = uri.get(CommonContext.MTU_LENGTH_PARAM_NAME);
        final long mtuBytes = null == mtu ? (uri.isIpc() ? Configuration.ipcMtuLength() : Configuration.mtuLength()) :
            size(mtu);
        if (null != mtu && (mtuBytes <= DataHeaderFlyweight.HEADER_LENGTH ||
            mtuBytes > Configuration.MAX_UDP_PAYLOAD_LENGTH || 0 != (mtuBytes & (FrameDescriptor.FRAME_ALIGNMENT - 1))))
        {
            return "the mtu '" + mtu + "' is no multiple of " + FrameDescriptor.FRAME_ALIGNMENT + " bytes from " +
                (DataHeaderFlyweight.HEADER_LENGTH + FrameDescriptor.FRAME_ALIGNMENT) + " to " +
                Configuration.MAX_UDP_PAYLOAD_LENGTH + ", which a media driver refuses";
        }
        if (mtuBytes > FrameDescriptor.computeMaxMessageLength((int)termBytes))
        {
            return "the mtu " + (null == mtu ? mtuBytes : mtu) + " is more than an eighth of " + term +
                ", which a media driver refuses" + (null == termLength ? ": name a term-length" : "");
        }

        final String window = uri.get(CommonContext.PUBLICATION_WINDOW_LENGTH_PARAM_NAME);
        if (null != window)
        {
            final long windowBytes = size(window);
            if (windowBytes < mtuBytes || windowBytes > termBytes >> 1)
            {
                return "the " + CommonContext.PUBLICATION_WINDOW_LENGTH_PARAM_NAME + " '" + window + "' is no size " +
                    "from the mtu, " + mtuBytes + ", to half " + term + ", which a media driver refuses";
            }
        }

        final String positionRefusal = positionRefusal(uri, (int)termBytes, term);
        if (null != positionRefusal)
        {
            return positionRefusal;
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
     * The media driver refuses a publication whose channel names a {@code stream-id} other than the stream it is added
     * on, the response stream a Connect names: the node would take the Connect and the add fail after it, while the
     * client waits. The client's own subscription is not checked so.
     *
     * @param channel          the response channel a Connect names (already taken by {@link #refusal}).
     * @param responseStreamId the response stream the Connect names.
     * @return why the channel's stream-id is refused, or null when it names none or the response stream.
     */
    static String streamIdRefusal(final String channel, final int responseStreamId)
    {
        final String streamId = ChannelUri.parse(channel).get(CommonContext.STREAM_ID_PARAM_NAME);
        if (null == streamId)
        {
            return null;
        }
        try
        {
            if (Integer.parseInt(streamId) == responseStreamId)
            {
                return null;
            }
        }
        catch (final NumberFormatException ex)
        {
            // Refused below: a media driver takes no stream-id that is no int.
        }
        return "the " + CommonContext.STREAM_ID_PARAM_NAME + " '" + streamId + "' is not the response stream " +
            responseStreamId + " the Connect names, which a media driver refuses";
    }

    /**
     * A {@code session-id=tag:N} makes the media driver give the publication the session, term length and mtu of the
     * publication tagged N in its own directory, and refuse it when no publication there has that tag or when the
     * channel names another term-length, which the node does for every channel that names none
     * ({@link EgressPublisher#responseChannel}): the add would fail after the Connect was taken. The node's publication
     * shares no session with another of its driver's. A session-id that is no int the driver refuses too.
     *
     * @return why the channel's session-id is refused, or null when it is absent or a whole number (an int), the
     * client's to choose.
     */
    private static String sessionIdRefusal(final ChannelUri uri)
    {
        final String sessionId = uri.get(CommonContext.SESSION_ID_PARAM_NAME);
        if (null == sessionId)
        {
            return null;
        }
        if (ChannelUri.isTagged(sessionId))
        {
            return "the " + CommonContext.SESSION_ID_PARAM_NAME + " " + sessionId + " names a publication of the " +
                "node's media driver, whose session (and term length) the node's shares with no other: name a " +
                "number, or no " + CommonContext.SESSION_ID_PARAM_NAME;
        }
        try
        {
            Integer.parseInt(sessionId);
            return null;
        }
        catch (final NumberFormatException ex)
        {
            return "the " + CommonContext.SESSION_ID_PARAM_NAME + " '" + sessionId + "' is no whole number (an int), " +
                "which a media driver refuses";
        }
    }

    /**
     * @param termBytes the session's term length.
     * @param term      what it is, for a person to read.
     * @return why the channel's init-term-id, term-id and term-offset are refused (they go together, as whole
     * numbers, the offset a multiple of the frame alignment within the term and the term not before the initial one,
     * as the media driver takes them), or null when they are absent or taken.
     */
    private static String positionRefusal(final ChannelUri uri, final int termBytes, final String term)
    {
        final String initialTermId = uri.get(CommonContext.INITIAL_TERM_ID_PARAM_NAME);
        final String termId = uri.get(CommonContext.TERM_ID_PARAM_NAME);
        final String termOffset = uri.get(CommonContext.TERM_OFFSET_PARAM_NAME);
        if (null == initialTermId && null == termId && null == termOffset)
        {
            return null;
        }
        final String set = CommonContext.INITIAL_TERM_ID_PARAM_NAME + ", " + CommonContext.TERM_ID_PARAM_NAME +
            " and " + CommonContext.TERM_OFFSET_PARAM_NAME;
        final int initial;
        final int id;
        final int offset;
        try
        {
            initial = Integer.parseInt(initialTermId);
            id = Integer.parseInt(termId);
            offset = Integer.parseInt(termOffset);
        }
        catch (final NumberFormatException ex)
        {
            return set + " go together, each a whole number (an int), which a media driver checks; were " +
                initialTermId + ", " + termId + " and " + termOffset;
        }
        if (offset < 0 || offset > termBytes || 0 != (offset & (FrameDescriptor.FRAME_ALIGNMENT - 1)))
        {
            return "the " + CommonContext.TERM_OFFSET_PARAM_NAME + " " + offset + " is no multiple of " +
                FrameDescriptor.FRAME_ALIGNMENT + " from 0 to " + term + ", which a media driver refuses";
        }
        if (id - initial < 0)
        {
            return "the " + CommonContext.TERM_ID_PARAM_NAME + " " + id + " is before the " +
                CommonContext.INITIAL_TERM_ID_PARAM_NAME + " " + initial + " (or 2^31 past it), which a media driver " +
                "refuses";
        }
        return null;
    }

    /** @return the size {@code value} says, as the node and Aeron's Java media driver read it; -1 if it is none. */
    private static long size(final String value)
    {
        try
        {
            return SystemUtil.parseSize("size", value);
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
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
