package io.cmtchain.transport;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
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

    /**
     * @param dir its directory's parent: the driver's files go in {@code dir/aeron}.
     * @return an embedded media driver, SHARED threading, its directory deleted at start and shutdown.
     */
    static MediaDriver embeddedDriver(final File dir)
    {
        return MediaDriver.launchEmbedded(new MediaDriver.Context()
            .aeronDirectoryName(new File(dir, "aeron").getAbsolutePath())
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
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
