package io.cmtchain.transport;

import org.agrona.DirectBuffer;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A sink for ingress tests: transactions go to the sink it is given; each query it takes is recorded as {clientId,
 * correlationId, the key's first 8 bytes, 1 for an account query}, and it answers queries with {@link #result}.
 * Thread safe for one writer (ingress) and the test reading.
 */
final class QueryRecordingSink implements TransactionSink
{
    final ConcurrentLinkedQueue<long[]> queries = new ConcurrentLinkedQueue<>();
    volatile int result = ACCEPTED;
    private final TransactionSink transactions;

    QueryRecordingSink(final TransactionSink transactions)
    {
        this.transactions = transactions;
    }

    @Override
    public int onTransaction(final DirectBuffer buffer, final int offset, final int length, final long clientId)
    {
        return transactions.onTransaction(buffer, offset, length, clientId);
    }

    @Override
    public int onAccountQuery(
        final long clientId, final long correlationId, final DirectBuffer buffer, final int addressOffset)
    {
        return query(clientId, correlationId, buffer, addressOffset, 1);
    }

    @Override
    public int onTransactionQuery(
        final long clientId, final long correlationId, final DirectBuffer buffer, final int hashOffset)
    {
        return query(clientId, correlationId, buffer, hashOffset, 0);
    }

    private int query(
        final long clientId, final long correlationId, final DirectBuffer buffer, final int keyOffset,
        final int account)
    {
        final int answer = result;
        if (ACCEPTED == answer)
        {
            queries.add(new long[] {clientId, correlationId, buffer.getLong(keyOffset), account});
        }
        return answer;
    }
}
