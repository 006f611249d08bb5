package io.cmtchain.engine.tx;

import io.cmtchain.engine.codec.MessageHeaderDecoder;
import io.cmtchain.engine.codec.TransactionDecoder;

import java.nio.charset.StandardCharsets;

/**
 * Static layout of a transaction frame, as the SBE schema {@code cmtchain-codecs.xml} encodes it.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 SBE message header (8 bytes)                  |  0
 *  +---------------------------------------------------------------+
 *  |                     signature (64 bytes)                      |  8
 *  +---------------------------------------------------------------+ <- signed bytes start (72)
 *  |                         chainId u32                           | 72
 *  +---------------------------------------------------------------+
 *  |                sender public key (32 bytes)                   | 76
 *  +---------------------------------------------------------------+
 *  |                          nonce u64                            | 108
 *  +---------------------------------------------------------------+
 *  |                     feeMicroCmt i64                           | 116
 *  +---------------------------------------------------------------+
 *  |                      expiryHeight u64                         | 124
 *  +---------------+-------------------------------+---------------+
 *  |   txType u8   |     body length u16           | body ...        132, 133, 135
 *  +---------------+-------------------------------+---------------+
 * </pre>
 * The signed message is {@link #DOMAIN_TAG} followed by the frame from {@link #SIGNED_OFFSET} to its end: the
 * domain tag, the chain id and every field but the signature. The SBE header is not signed but must match
 * exactly, so it cannot be varied either.
 */
public final class TransactionDescriptor
{
    /** Domain separation tag that starts every signed message. */
    public static final byte[] DOMAIN_TAG = "CMTCHAIN/TX/V1\0\0".getBytes(StandardCharsets.US_ASCII);

    /** Maximum encoded length of a transaction frame. */
    public static final int MAX_LENGTH = 1024;

    public static final int HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    public static final int SIGNATURE_OFFSET = HEADER_LENGTH + TransactionDecoder.signatureEncodingOffset();
    public static final int SIGNATURE_LENGTH = 64;
    public static final int CHAIN_ID_OFFSET = HEADER_LENGTH + TransactionDecoder.chainIdEncodingOffset();
    public static final int PUBLIC_KEY_OFFSET = HEADER_LENGTH + TransactionDecoder.senderPublicKeyEncodingOffset();
    public static final int PUBLIC_KEY_LENGTH = 32;
    public static final int NONCE_OFFSET = HEADER_LENGTH + TransactionDecoder.nonceEncodingOffset();
    public static final int FEE_OFFSET = HEADER_LENGTH + TransactionDecoder.feeMicroCmtEncodingOffset();
    public static final int EXPIRY_OFFSET = HEADER_LENGTH + TransactionDecoder.expiryHeightEncodingOffset();
    public static final int TYPE_OFFSET = HEADER_LENGTH + TransactionDecoder.txTypeEncodingOffset();
    public static final int BODY_LENGTH_OFFSET = HEADER_LENGTH + TransactionDecoder.BLOCK_LENGTH;
    public static final int BODY_OFFSET = BODY_LENGTH_OFFSET + 2;
    /** Start of the signed bytes within the frame. */
    public static final int SIGNED_OFFSET = CHAIN_ID_OFFSET;
    /** Smallest possible frame: header, block and an empty body. */
    public static final int MIN_LENGTH = BODY_OFFSET;
    /** Largest body that fits in {@link #MAX_LENGTH}. */
    public static final int MAX_BODY_LENGTH = MAX_LENGTH - BODY_OFFSET;

    /** TRANSFER body: recipient address (20) then amount i64. */
    public static final int TRANSFER_RECIPIENT_OFFSET = 0;
    public static final int TRANSFER_AMOUNT_OFFSET = 20;
    public static final int TRANSFER_BODY_LENGTH = 28;

    private TransactionDescriptor()
    {
    }

    /**
     * @param frameLength length of the whole frame.
     * @return length of the signed bytes taken from the frame (the domain tag not counted).
     */
    public static int signedLength(final int frameLength)
    {
        return frameLength - SIGNED_OFFSET;
    }
}
