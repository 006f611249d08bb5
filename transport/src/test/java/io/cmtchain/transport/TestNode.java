package io.cmtchain.transport;

import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.File;
import java.nio.file.Files;

/** A {@link NodeTransport} with an embedded driver in a temp directory, its agents on one thread. */
final class TestNode implements AutoCloseable
{
    final File dir;
    final NodeTransport transport;

    TestNode(final TransportContext ctx, final TransactionSink sink, final File dir)
    {
        this.dir = dir;
        transport = NodeTransport.launch(ctx.dir(dir), sink, TransportCounters.inMemory());
        transport.startRunner(new BackoffIdleStrategy(), Throwable::printStackTrace);
    }

    static File tempDir()
    {
        try
        {
            return Files.createTempDirectory("cmt-transport-test").toFile();
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    TransportCounters counters()
    {
        return transport.counters();
    }

    /** A client context for IPC on this node's driver. */
    CmtClient.Context ipcClient()
    {
        return new CmtClient.Context()
            .aeronDirectoryName(transport.aeronDirectoryName())
            .ingressChannel(TransportContext.IPC_CHANNEL)
            .responseChannel(TransportContext.IPC_CHANNEL)
            .connectTimeoutNs(5_000_000_000L);
    }

    @Override
    public void close()
    {
        transport.close();
    }

    void deleteDir()
    {
        IoUtil.delete(dir, true);
    }
}
