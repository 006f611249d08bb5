package io.cmtchain.transport;

import io.aeron.CommonContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientEmbeddedDriverTest
{
    @Test
    void shouldRunItsEmbeddedDriverInADirectoryOfItsOwnWhateverAeronDirSays(@TempDir final Path temp) throws Exception
    {
        // The driver deletes its directory at start: under -Daeron.dir=X, every client command once deleted X (a
        // node's external driver's directory, or any other).
        final Path other = Files.createDirectories(temp.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "keep me");
        final String saved = System.getProperty(CommonContext.AERON_DIR_PROP_NAME);
        System.setProperty(CommonContext.AERON_DIR_PROP_NAME, other.toString());
        try
        {
            final CmtClient.Context ctx = new CmtClient.Context()
                .embeddedDriver(true)
                .ingressChannel("aeron:udp?endpoint=localhost:" + freePort())
                .connectTimeoutNs(TimeUnit.MILLISECONDS.toNanos(300));
            final CmtClientException ex = assertThrows(CmtClientException.class, () -> CmtClient.connect(ctx).close());
            assertEquals(CmtClient.NOT_CONNECTED, ex.code(), ex.getMessage());
        }
        finally
        {
            if (saved == null)
            {
                System.clearProperty(CommonContext.AERON_DIR_PROP_NAME);
            }
            else
            {
                System.setProperty(CommonContext.AERON_DIR_PROP_NAME, saved);
            }
        }
        assertEquals("keep me", Files.readString(other.resolve("notes.txt")));
    }

    private static int freePort() throws IOException
    {
        try (DatagramSocket socket = new DatagramSocket(0))
        {
            return socket.getLocalPort();
        }
    }
}
