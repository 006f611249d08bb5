package io.cmtchain.engine.contracts;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Deterministic serialisation of a {@link ContractsState} between blocks, for snapshots: the same state always gives
 * the same bytes, and {@link #read(DataInput)} gives a state with the same digest whose schedule (escrow deadlines,
 * loan instalments and grace ends, policy expiries) runs on exactly as the written one's would. Token supply deltas
 * are zero between blocks and are not written. Big-endian (DataOutput):
 * <pre>
 *   version u8 (1) | maxActionsPerBlock i32 | height i64 | scheduleSequence i64 | lockedMicroCmt i64
 *   | genesisClosed u8 | action log of the last block end: count i32, (dueHeight i64 | kind u8 | contractId i64
 *   | outcome u8)* | records i32, in unsigned key order: (key length u8 | key | fields by the key's kind byte)*
 *
 *   T token     issuer[20] | name (u8 length + bytes) | symbol (u8 length + bytes) | decimals u8 | flags u8
 *               | mintedTotal | burnedTotal | locked
 *   H holding   balance | frozen u8          A allowance amount            P policy  claimed u8 | delay | payout
 *   E escrow    buyer[20] | seller[20] | hasArbiter u8 [| arbiter[20]] | tokenId | amount | deadline | status u8
 *               | toSeller | closedHeight
 *   L loan      lender[20] | borrower[20] | principal | ratePpm i32 | instalments i32 | interval | grace | lateFee
 *               | status u8 | outstanding | paidCount i32 | dueHeight | wasLate u8 | interestPaid | feesPaid
 *   I pool      insurer[20] | adjuster[20] | premium | baseCover | capCover | salesEnd | expiry | funds | policies
 *               | paidOut | returned | closed u8
 *   C credit    escrowsCompleted | escrowsDisputed | loansOnTime | loansLate | loansDefaulted
 *   S action    kind u8 | contractId            (due height and sequence are in the key)
 * </pre>
 * Ids of tokens, escrows, loans and pools, and the addresses of holdings, allowances, policies and credits, are in
 * the keys.
 */
public final class ContractsCodec
{
    /** Format version, the first byte. */
    public static final int VERSION = 1;

    private static final int MAX_RECORDS = 1 << 28;

    private ContractsCodec()
    {
    }

    /**
     * @param state between blocks.
     * @param out   destination.
     * @throws IOException from {@code out}.
     */
    public static void write(final ContractsState state, final DataOutput out) throws IOException
    {
        if (!state.touchedTokens.isEmpty())
        {
            throw new IllegalStateException("contracts state can be written only between blocks");
        }
        out.writeByte(VERSION);
        out.writeInt(state.maxActionsPerBlock());
        out.writeLong(state.height);
        out.writeLong(state.scheduleSequence);
        out.writeLong(state.lockedMicroCmt);
        out.writeBoolean(state.genesisClosed);
        out.writeInt(state.logCount);
        for (int i = 0; i < state.logCount; i++)
        {
            out.writeLong(state.logDueHeight[i]);
            out.writeByte(state.logKind[i]);
            out.writeLong(state.logContractId[i]);
            out.writeByte(state.logOutcome[i]);
        }
        // Buckets are visited in FNV order; sorting by key makes the bytes independent of the store's layout.
        final ArrayList<ContractRecord> records = new ArrayList<>(state.store.size());
        state.store.forEach(records::add);
        records.sort((a, b) -> Arrays.compareUnsigned(a.key, b.key));
        out.writeInt(records.size());
        for (final ContractRecord r : records)
        {
            out.writeByte(r.key.length);
            out.write(r.key);
            writeFields(r, out);
        }
    }

    /**
     * @param in source, positioned at what {@link #write} wrote.
     * @return the state, not yet bound to accounts (the owning {@code ChainState} binds it), its digest recomputed.
     * @throws IOException from {@code in}, or naming what in the data is inconsistent.
     */
    public static ContractsState read(final DataInput in) throws IOException
    {
        final int version = in.readUnsignedByte();
        if (version != VERSION)
        {
            throw new IOException("contracts state version " + version + ", this build reads " + VERSION);
        }
        final int maxActions = in.readInt();
        if (maxActions < 1 || maxActions > 1_000_000)
        {
            throw new IOException("bad maxActionsPerBlock " + maxActions);
        }
        final ContractsState state = new ContractsState(maxActions);
        state.height = in.readLong();
        state.scheduleSequence = in.readLong();
        state.lockedMicroCmt = in.readLong();
        state.genesisClosed = in.readBoolean();
        final int logCount = in.readInt();
        if (logCount < 0 || logCount > maxActions)
        {
            throw new IOException("bad action log length " + logCount);
        }
        state.logCount = logCount;
        for (int i = 0; i < logCount; i++)
        {
            state.logDueHeight[i] = in.readLong();
            state.logKind[i] = in.readUnsignedByte();
            state.logContractId[i] = in.readLong();
            state.logOutcome[i] = in.readUnsignedByte();
        }
        final int count = in.readInt();
        if (count < 0 || count > MAX_RECORDS)
        {
            throw new IOException("bad contract record count " + count);
        }
        for (int i = 0; i < count; i++)
        {
            final byte[] key = new byte[in.readUnsignedByte()];
            in.readFully(key);
            final ContractRecord r = readRecord(key, in);
            try
            {
                state.store.add(r);
            }
            catch (final IllegalStateException ex)
            {
                throw new IOException("contract record " + (char)key[0] + " appears twice");
            }
            if (r instanceof ScheduledAction)
            {
                state.schedule.put(r.key, (ScheduledAction)r);
            }
        }
        try
        {
            state.restored();
        }
        catch (final IllegalStateException ex)
        {
            throw new IOException(ex.getMessage());
        }
        return state;
    }

    private static void writeFields(final ContractRecord r, final DataOutput out) throws IOException
    {
        if (r instanceof Token)
        {
            final Token t = (Token)r;
            out.write(t.issuer);
            out.writeByte(t.name.length);
            out.write(t.name);
            out.writeByte(t.symbol.length);
            out.write(t.symbol);
            out.writeByte(t.decimals);
            out.writeByte(t.flags);
            out.writeLong(t.mintedTotal);
            out.writeLong(t.burnedTotal);
            out.writeLong(t.locked);
        }
        else if (r instanceof Holding)
        {
            out.writeLong(((Holding)r).balance);
            out.writeBoolean(((Holding)r).frozen);
        }
        else if (r instanceof Allowance)
        {
            out.writeLong(((Allowance)r).amount);
        }
        else if (r instanceof Escrow)
        {
            final Escrow e = (Escrow)r;
            out.write(e.buyer);
            out.write(e.seller);
            out.writeBoolean(e.arbiter != null);
            if (e.arbiter != null)
            {
                out.write(e.arbiter);
            }
            out.writeLong(e.tokenId);
            out.writeLong(e.amount);
            out.writeLong(e.deadlineHeight);
            out.writeByte(e.status);
            out.writeLong(e.toSeller);
            out.writeLong(e.closedHeight);
        }
        else if (r instanceof Loan)
        {
            final Loan l = (Loan)r;
            out.write(l.lender);
            out.write(l.borrower);
            out.writeLong(l.principal);
            out.writeInt(l.ratePpm);
            out.writeInt(l.instalments);
            out.writeLong(l.intervalBlocks);
            out.writeLong(l.graceBlocks);
            out.writeLong(l.lateFee);
            out.writeByte(l.status);
            out.writeLong(l.outstanding);
            out.writeInt(l.paidCount);
            out.writeLong(l.dueHeight);
            out.writeBoolean(l.wasLate);
            out.writeLong(l.interestPaid);
            out.writeLong(l.feesPaid);
        }
        else if (r instanceof InsurancePool)
        {
            final InsurancePool p = (InsurancePool)r;
            out.write(p.insurer);
            out.write(p.adjuster);
            out.writeLong(p.premium);
            out.writeLong(p.baseCover);
            out.writeLong(p.capCover);
            out.writeLong(p.salesEndHeight);
            out.writeLong(p.expiryHeight);
            out.writeLong(p.funds);
            out.writeLong(p.policies);
            out.writeLong(p.paidOut);
            out.writeLong(p.returned);
            out.writeBoolean(p.closed);
        }
        else if (r instanceof Policy)
        {
            final Policy p = (Policy)r;
            out.writeBoolean(p.claimed);
            out.writeLong(p.delayMinutes);
            out.writeLong(p.payout);
        }
        else if (r instanceof Credit)
        {
            final Credit c = (Credit)r;
            out.writeLong(c.escrowsCompleted);
            out.writeLong(c.escrowsDisputed);
            out.writeLong(c.loansOnTime);
            out.writeLong(c.loansLate);
            out.writeLong(c.loansDefaulted);
        }
        else if (r instanceof ScheduledAction)
        {
            out.writeByte(((ScheduledAction)r).kind);
            out.writeLong(((ScheduledAction)r).contractId);
        }
        else
        {
            throw new IllegalStateException("unknown contract record " + r.getClass().getSimpleName());
        }
    }

    private static ContractRecord readRecord(final byte[] key, final DataInput in) throws IOException
    {
        if (key.length == 0)
        {
            throw new IOException("empty contract record key");
        }
        final byte kind = key[0];
        final ContractRecord r;
        if (kind == Keys.TOKEN && key.length == 9)
        {
            final byte[] issuer = address(in);
            final byte[] name = new byte[in.readUnsignedByte()];
            in.readFully(name);
            final byte[] symbol = new byte[in.readUnsignedByte()];
            in.readFully(symbol);
            final int decimals = in.readUnsignedByte();
            final int flags = in.readUnsignedByte();
            final Token t = new Token(longAt(key, 1), issuer, name, symbol, decimals, flags);
            t.mintedTotal = in.readLong();
            t.burnedTotal = in.readLong();
            t.locked = in.readLong();
            r = t;
        }
        else if (kind == Keys.HOLDING && key.length == 29)
        {
            final Holding h = new Holding(key);
            h.balance = in.readLong();
            h.frozen = in.readBoolean();
            r = h;
        }
        else if (kind == Keys.ALLOWANCE && key.length == 49)
        {
            final Allowance a = new Allowance(key);
            a.amount = in.readLong();
            r = a;
        }
        else if (kind == Keys.ESCROW && key.length == 9)
        {
            final byte[] buyer = address(in);
            final byte[] seller = address(in);
            final byte[] arbiter = in.readBoolean() ? address(in) : null;
            final long tokenId = in.readLong();
            final long amount = in.readLong();
            final long deadline = in.readLong();
            final Escrow e = new Escrow(longAt(key, 1), buyer, seller, arbiter, tokenId, amount, deadline);
            e.status = in.readUnsignedByte();
            e.toSeller = in.readLong();
            e.closedHeight = in.readLong();
            r = e;
        }
        else if (kind == Keys.LOAN && key.length == 9)
        {
            final byte[] lender = address(in);
            final byte[] borrower = address(in);
            final long principal = in.readLong();
            final int ratePpm = in.readInt();
            final int instalments = in.readInt();
            final long interval = in.readLong();
            final long grace = in.readLong();
            final long lateFee = in.readLong();
            final Loan l = new Loan(longAt(key, 1), lender, borrower, principal, ratePpm, instalments, interval, grace,
                lateFee);
            l.status = in.readUnsignedByte();
            l.outstanding = in.readLong();
            l.paidCount = in.readInt();
            l.dueHeight = in.readLong();
            l.wasLate = in.readBoolean();
            l.interestPaid = in.readLong();
            l.feesPaid = in.readLong();
            r = l;
        }
        else if (kind == Keys.POOL && key.length == 9)
        {
            final byte[] insurer = address(in);
            final byte[] adjuster = address(in);
            final long premium = in.readLong();
            final long base = in.readLong();
            final long cap = in.readLong();
            final long salesEnd = in.readLong();
            final long expiry = in.readLong();
            final long funds = in.readLong();
            final InsurancePool p = new InsurancePool(longAt(key, 1), insurer, adjuster, premium, base, cap, funds,
                salesEnd, expiry);
            p.policies = in.readLong();
            p.paidOut = in.readLong();
            p.returned = in.readLong();
            p.closed = in.readBoolean();
            r = p;
        }
        else if (kind == Keys.POLICY && key.length == 29)
        {
            final Policy p = new Policy(key);
            p.claimed = in.readBoolean();
            p.delayMinutes = in.readLong();
            p.payout = in.readLong();
            r = p;
        }
        else if (kind == Keys.CREDIT && key.length == 21)
        {
            final Credit c = new Credit(key);
            c.escrowsCompleted = in.readLong();
            c.escrowsDisputed = in.readLong();
            c.loansOnTime = in.readLong();
            c.loansLate = in.readLong();
            c.loansDefaulted = in.readLong();
            r = c;
        }
        else if (kind == Keys.SCHEDULE && key.length == 17)
        {
            final int actionKind = in.readUnsignedByte();
            r = new ScheduledAction(longAt(key, 1), longAt(key, 9), actionKind, in.readLong());
        }
        else
        {
            throw new IOException("unknown contract record key of kind " + (kind & 0xFF) + ", length " + key.length);
        }
        return r;
    }

    private static byte[] address(final DataInput in) throws IOException
    {
        final byte[] a = new byte[20];
        in.readFully(a);
        return a;
    }

    private static long longAt(final byte[] key, final int offset)
    {
        long v = 0;
        for (int i = 0; i < 8; i++)
        {
            v = (v << 8) | (key[offset + i] & 0xFF);
        }
        return v;
    }
}
