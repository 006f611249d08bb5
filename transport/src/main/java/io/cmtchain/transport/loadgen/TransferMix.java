package io.cmtchain.transport.loadgen;

import io.cmtchain.engine.tx.Addresses;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TransactionDescriptor;
import io.cmtchain.engine.util.Sha256;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Transfers of a fixed amount to recipients drawn by {@link RecipientSampler}. Recipient {@code r}'s address is
 * {@code SHA-256("cmt-loadgen-recipient" || r as 8 bytes little-endian)[0..20]}, so any tool can derive them.
 */
public final class TransferMix implements TransactionMix
{
    public static final String RECIPIENT_TAG = "cmt-loadgen-recipient";
    private static final byte[] TAG = RECIPIENT_TAG.getBytes(StandardCharsets.US_ASCII);

    private final RecipientSampler sampler;
    private final long feeMicroCmt;
    private final long amountMicroCmt;
    private final ThreadLocal<Recipients> recipients = ThreadLocal.withInitial(Recipients::new);

    /** Derives recipients' addresses into scratch of its own: one per sending thread. */
    static final class Recipients
    {
        private final Sha256 sha = new Sha256();
        private final byte[] digest = new byte[Sha256.DIGEST_LENGTH];
        private final byte[] address = new byte[Addresses.LENGTH];

        /**
         * @param recipient index.
         * @return its 20-byte address, valid until the next call.
         */
        byte[] address(final long recipient)
        {
            recipientAddress(recipient, sha, digest, address);
            return address;
        }
    }

    /**
     * @param sampler        picks each transaction's recipient.
     * @param feeMicroCmt    fee offered.
     * @param amountMicroCmt amount moved.
     */
    public TransferMix(final RecipientSampler sampler, final long feeMicroCmt, final long amountMicroCmt)
    {
        this.sampler = sampler;
        this.feeMicroCmt = feeMicroCmt;
        this.amountMicroCmt = amountMicroCmt;
    }

    /**
     * @param recipient index.
     * @param sha       digest to use.
     * @param digest    scratch for 32 bytes.
     * @param out       receives the 20-byte address.
     */
    public static void recipientAddress(final long recipient, final Sha256 sha, final byte[] digest, final byte[] out)
    {
        sha.update(TAG);
        sha.updateLong(recipient);
        sha.digest(digest, 0);
        System.arraycopy(digest, 0, out, 0, Addresses.LENGTH);
    }

    @Override
    public int encode(
        final long index,
        final Ed25519Key sender,
        final long nonce,
        final TransactionBuilder builder,
        final MutableDirectBuffer out,
        final int offset)
    {
        final byte[] recipient = recipients.get().address(sampler.recipient(index));
        return builder.transfer(sender, nonce, feeMicroCmt, 0, recipient, amountMicroCmt, out, offset);
    }

    @Override
    public int maxFrameLength()
    {
        return TransactionDescriptor.BODY_OFFSET + TransactionDescriptor.TRANSFER_BODY_LENGTH;
    }

    @Override
    public String describe()
    {
        return "transfer(fee=" + feeMicroCmt + ",amount=" + amountMicroCmt + "," + sampler.describe() + ")";
    }
}
