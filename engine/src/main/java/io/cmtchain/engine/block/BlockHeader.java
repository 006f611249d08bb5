package io.cmtchain.engine.block;

import io.cmtchain.engine.codec.BlockHeaderDecoder;
import io.cmtchain.engine.codec.BlockHeaderEncoder;
import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.MessageHeaderEncoder;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Sha256;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * A block's header, one object per block (not per transaction). Its hash covers its SBE encoding up to the
 * proposer's signature, which signs that hash.
 */
public final class BlockHeader
{
    /** Encoded length: SBE header plus block. */
    public static final int ENCODED_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + BlockHeaderEncoder.BLOCK_LENGTH;
    /** Bytes covered by the hash: everything before the proposer signature. */
    public static final int HASHED_LENGTH =
        MessageHeaderEncoder.ENCODED_LENGTH + BlockHeaderEncoder.proposerSignatureEncodingOffset();

    public long height;
    public long timestampMs;
    public final byte[] parentHash = new byte[32];
    public final byte[] proposer = new byte[20];
    public final byte[] txRoot = new byte[32];
    public final byte[] receiptsRoot = new byte[32];
    public final byte[] stateRoot = new byte[32];
    public int txCount;
    public final byte[] proposerSignature = new byte[64];

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final BlockHeaderEncoder encoder = new BlockHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final BlockHeaderDecoder decoder = new BlockHeaderDecoder();
    /** Wraps the caller's scratch in {@link #hash}. */
    private final UnsafeBuffer hashBuffer = new UnsafeBuffer(new byte[0]);

    /**
     * @param buffer to write to.
     * @param offset in the buffer.
     * @return bytes written, {@link #ENCODED_LENGTH}.
     */
    public int encode(final MutableDirectBuffer buffer, final int offset)
    {
        encoder.wrapAndApplyHeader(buffer, offset, headerEncoder)
            .height(height)
            .timestampMs(timestampMs)
            .putParentHash(parentHash, 0, 32)
            .putProposer(proposer, 0, 20)
            .putTxRoot(txRoot, 0, 32)
            .putReceiptsRoot(receiptsRoot, 0, 32)
            .putStateRoot(stateRoot, 0, 32)
            .txCount(txCount)
            .putProposerSignature(proposerSignature, 0, 64);
        return ENCODED_LENGTH;
    }

    /**
     * @param buffer holding an encoded header.
     * @param offset of it.
     * @param length available.
     * @return this.
     * @throws IllegalArgumentException when the bytes are not a block header.
     */
    public BlockHeader decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < ENCODED_LENGTH)
        {
            throw new IllegalArgumentException("block header needs " + ENCODED_LENGTH + " bytes, got " + length);
        }
        headerDecoder.wrap(buffer, offset);
        if (headerDecoder.templateId() != BlockHeaderDecoder.TEMPLATE_ID ||
            headerDecoder.schemaId() != BlockHeaderDecoder.SCHEMA_ID ||
            headerDecoder.blockLength() != BlockHeaderDecoder.BLOCK_LENGTH)
        {
            throw new IllegalArgumentException("not a block header (template " + headerDecoder.templateId() + ")");
        }
        decoder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, BlockHeaderDecoder.BLOCK_LENGTH,
            BlockHeaderDecoder.SCHEMA_VERSION);
        height = decoder.height();
        timestampMs = decoder.timestampMs();
        decoder.getParentHash(parentHash, 0, 32);
        decoder.getProposer(proposer, 0, 20);
        decoder.getTxRoot(txRoot, 0, 32);
        decoder.getReceiptsRoot(receiptsRoot, 0, 32);
        decoder.getStateRoot(stateRoot, 0, 32);
        txCount = (int)decoder.txCount();
        decoder.getProposerSignature(proposerSignature, 0, 64);
        return this;
    }

    /**
     * @param sha       digest to use.
     * @param scratch   at least {@link #ENCODED_LENGTH} bytes.
     * @param out       receives the 32-byte hash.
     * @param outOffset in {@code out}.
     */
    public void hash(final Sha256 sha, final byte[] scratch, final byte[] out, final int outOffset)
    {
        hashBuffer.wrap(scratch);
        encode(hashBuffer, 0);
        sha.update(scratch, 0, HASHED_LENGTH);
        sha.digest(out, outOffset);
    }

    /**
     * @param other header.
     * @return copies every field of {@code other} into this.
     */
    public BlockHeader copyFrom(final BlockHeader other)
    {
        height = other.height;
        timestampMs = other.timestampMs;
        System.arraycopy(other.parentHash, 0, parentHash, 0, 32);
        System.arraycopy(other.proposer, 0, proposer, 0, 20);
        System.arraycopy(other.txRoot, 0, txRoot, 0, 32);
        System.arraycopy(other.receiptsRoot, 0, receiptsRoot, 0, 32);
        System.arraycopy(other.stateRoot, 0, stateRoot, 0, 32);
        txCount = other.txCount;
        System.arraycopy(other.proposerSignature, 0, proposerSignature, 0, 64);
        return this;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (!(o instanceof BlockHeader))
        {
            return false;
        }
        final BlockHeader h = (BlockHeader)o;
        return height == h.height && timestampMs == h.timestampMs && txCount == h.txCount &&
            Arrays.equals(parentHash, h.parentHash) && Arrays.equals(proposer, h.proposer) &&
            Arrays.equals(txRoot, h.txRoot) && Arrays.equals(receiptsRoot, h.receiptsRoot) &&
            Arrays.equals(stateRoot, h.stateRoot) && Arrays.equals(proposerSignature, h.proposerSignature);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(height) * 31 + Arrays.hashCode(stateRoot);
    }

    @Override
    public String toString()
    {
        return "BlockHeader{height=" + height + ", timestampMs=" + timestampMs + ", txCount=" + txCount +
            ", stateRoot=" + Hex.encode(stateRoot) + "}";
    }
}
