package io.cmtchain.engine.dpos;

import io.cmtchain.engine.util.Sha256;

import java.util.Map;
import java.util.TreeMap;

/**
 * A governance proposal: CHANGE_PARAM (parameter id and value) or TRANSFER_FUND (from, to, amount). Validators and
 * backups vote yes or no and may change their vote while it is open; the tally at each block end decides it.
 */
final class Proposal extends DigestRecord
{
    static final int OPEN = 0;
    static final int PASSED = 1;
    static final int REJECTED = 2;
    static final int EXPIRED = 3;
    /** Passed, but a TRANSFER_FUND whose source could not pay when it took effect. */
    static final int PASSED_NOT_EXECUTED = 4;

    static final String[] STATUS_NAMES = {"open", "passed", "rejected", "expired", "passed_not_executed"};

    final long id;
    final ByteKey proposer;
    final int kind;
    final int paramId;
    final long value;
    final ByteKey from;
    final ByteKey to;
    final long amountMicroCmt;
    final long createdHeight;
    final long expiryHeight;
    int status = OPEN;
    long decidedHeight;
    /** Voter (candidate owner) to vote; true is yes. */
    final TreeMap<ByteKey, Boolean> votes = new TreeMap<>();

    Proposal(
        final long id,
        final ByteKey proposer,
        final int kind,
        final int paramId,
        final long value,
        final ByteKey from,
        final ByteKey to,
        final long amountMicroCmt,
        final long createdHeight,
        final long expiryHeight)
    {
        super(UnbondingEntry.idKey(id));
        this.id = id;
        this.proposer = proposer;
        this.kind = kind;
        this.paramId = paramId;
        this.value = value;
        this.from = from;
        this.to = to;
        this.amountMicroCmt = amountMicroCmt;
        this.createdHeight = createdHeight;
        this.expiryHeight = expiryHeight;
    }

    @Override
    void encode(final Sha256 sha)
    {
        sha.updateLong(id).update(proposer.raw()).updateLong(kind).updateLong(paramId).updateLong(value)
            .update(from.raw()).update(to.raw()).updateLong(amountMicroCmt).updateLong(createdHeight)
            .updateLong(expiryHeight).updateLong(status).updateLong(decidedHeight).updateLong(votes.size());
        for (final Map.Entry<ByteKey, Boolean> e : votes.entrySet())
        {
            sha.update(e.getKey().raw()).update((byte)(e.getValue() ? 1 : 0));
        }
    }
}
