package io.cmtchain.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportContextTest
{
    @ParameterizedTest
    @ValueSource(strings = {
        "aeron:udp?endpoint=localhost:99999",
        "aeron:udpp?endpoint=localhost:40123",
        "aeron:udp?endpoint=localhost",
        "aeron:udp?endpont=localhost:40123",
        "aeron:tcp?endpoint=localhost:40123",
        "udp://localhost:40123"})
    void shouldRefuseAnIngressChannelTheDriverWouldRefuse(final String channel)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TransportContext.checkIngressChannel(channel));
        assertTrue(ex.getMessage().startsWith(TransportContext.INGRESS_CHANNEL_PROP + " "), ex.getMessage());
        assertTrue(ex.getMessage().contains(channel), ex.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new TransportContext().ingressChannel(channel).conclude());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        TransportContext.DEFAULT_INGRESS_CHANNEL,
        "aeron:udp?endpoint=0.0.0.0:40123",
        "aeron:udp?endpoint=127.0.0.1:40123|term-length=1m",
        "aeron:ipc"})
    void shouldAcceptAUsableIngressChannel(final String channel)
    {
        TransportContext.checkIngressChannel(channel);
    }

    @Test
    void shouldNameTheReasonTheDriverGives()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TransportContext.checkIngressChannel("aeron:udp?endpoint=localhost:99999"));
        assertTrue(ex.getMessage().contains("port out of range"), ex.getMessage());
    }
}
