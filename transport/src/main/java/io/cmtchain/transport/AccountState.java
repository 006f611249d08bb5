package io.cmtchain.transport;

import io.cmtchain.engine.util.Hex;

/**
 * A node's answer to {@link CmtClient#queryAccount}: an account's balance and the nonce its next transaction must
 * carry, as of the last block the node has executed ({@link #height()}). That block's receipts may still be on their
 * way: it becomes final when they arrive.
 */
public final class AccountState
{
    private final byte[] address;
    private final long height;
    private final boolean exists;
    private final long balanceMicroCmt;
    private final long nonce;

    /**
     * @param address         20 bytes, not copied.
     * @param height          of the last executed block.
     * @param exists          whether the account exists.
     * @param balanceMicroCmt its balance (0 if it does not exist).
     * @param nonce           its next nonce (0 if it does not exist).
     */
    public AccountState(
        final byte[] address, final long height, final boolean exists, final long balanceMicroCmt, final long nonce)
    {
        this.address = address;
        this.height = height;
        this.exists = exists;
        this.balanceMicroCmt = balanceMicroCmt;
        this.nonce = nonce;
    }

    /** @return a copy of the 20-byte address asked about. */
    public byte[] address()
    {
        return address.clone();
    }

    /** @return the last block the node had executed when it answered. */
    public long height()
    {
        return height;
    }

    /** @return whether the account exists (it does once it has received CMT). */
    public boolean exists()
    {
        return exists;
    }

    /** @return its balance in µCMT. */
    public long balanceMicroCmt()
    {
        return balanceMicroCmt;
    }

    /** @return the nonce its next transaction must carry: 0 for an account that never sent one. */
    public long nonce()
    {
        return nonce;
    }

    @Override
    public String toString()
    {
        return "AccountState{" + Hex.encode(address) + ", height " + height + (exists ? ", balance " +
            balanceMicroCmt + " µCMT, next nonce " + nonce : ", no such account") + "}";
    }
}
