package io.cmtchain.transport;

import io.aeron.driver.status.SenderPos;
import io.aeron.driver.status.StreamCounter;
import io.aeron.driver.status.SubscriberPos;
import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;

/**
 * Where each client's egress stream ended when the node closed it, and whether the media driver has delivered it: a
 * UDP stream once its sender position has reached the end (every byte transmitted), an IPC stream once every
 * subscriber position on it has. {@link NodeTransport#close()} waits for this before it closes the media driver,
 * which would otherwise throw away the receipts and the Disconnect that egress had written but the driver had not yet
 * sent: a node stopped under load handed most of its last receipts to nobody.
 * <p>
 * Not thread safe: egress records the ends as it closes, the closing thread reads them after egress has stopped.
 */
final class EgressDelivery
{
    private final ArrayList<long[]> ends = new ArrayList<>();

    /**
     * @param sessionId of the egress publication.
     * @param streamId  of the egress publication.
     * @param position  the publication's position after its last message.
     */
    void streamEnded(final int sessionId, final int streamId, final long position)
    {
        ends.add(new long[]{sessionId, streamId, position});
    }

    /** @return how many ended streams there are. */
    int streamCount()
    {
        return ends.size();
    }

    /**
     * @param counters the media driver's counters.
     * @return how many ended streams have a sender or subscriber position still short of their end. A stream with
     * neither (its subscriber has gone) counts as delivered: nobody is left to deliver it to.
     */
    int undelivered(final CountersReader counters)
    {
        final boolean[] behind = new boolean[ends.size()];
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (SenderPos.SENDER_POSITION_TYPE_ID != typeId && SubscriberPos.SUBSCRIBER_POSITION_TYPE_ID != typeId)
            {
                return;
            }
            final int sessionId = keyBuffer.getInt(StreamCounter.SESSION_ID_OFFSET);
            final int streamId = keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET);
            for (int i = 0; i < behind.length; i++)
            {
                final long[] end = ends.get(i);
                if (end[0] == sessionId && end[1] == streamId && counters.getCounterValue(counterId) < end[2])
                {
                    behind[i] = true;
                }
            }
        });
        int count = 0;
        for (final boolean b : behind)
        {
            count += b ? 1 : 0;
        }
        return count;
    }
}
