package io.cmtchain.journal;

import io.cmtchain.engine.block.BlockHeader;

/**
 * Layout of the journal's entries. Each entry is the whole payload of one Chronicle Queue document, written with
 * one {@code writingDocument()}; all integers little-endian.
 * <p>
 * A block entry:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic 'CMTC' (u32)                        |  0
 *  +---------------------------------------------------------------+
 *  |                  Entry length in bytes (u32)                  |  4
 *  +---------------------------------------------------------------+
 *  |            CRC32C of bytes [12, entry length) (u32)           |  8
 *  +---------------------------------------------------------------+
 *  |                         Height (i64)                          | 12
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                   Transaction count (u32)                     | 20
 *  +---------------------------------------------------------------+
 *  |        Block header, SBE, BlockHeader.ENCODED_LENGTH         ...  24
 *  +---------------------------------------------------------------+
 *  |        Commit: signer count n (u32), n x (address 20 bytes,   ...  24 + header
 *  |        Ed25519 signature 64 bytes), see BlockCommit            |
 *  +---------------------------------------------------------------+
 *  |        Transaction record 0 .. count-1 (below)               ...
 *  +---------------------------------------------------------------+
 *
 *  Transaction record:
 *  +---------------------------------------------------------------+
 *  |                    Frame length (u32)                         |  0
 *  +---------------+-----------------------------------------------+
 *  |  Status (u8)  |          Fee charged, µCMT (i64)             ...  4
 *  +---------------+-----------------------------------------------+
 *  |              Transaction hash (32 bytes)                     ... 13
 *  +---------------------------------------------------------------+
 *  |              Frame (frame length bytes)                      ... 45
 *  +---------------------------------------------------------------+
 * </pre>
 * The commit is the block's input to DPoS: the validators of the previous block that signed its header, with their
 * signatures (empty on a chain without DPoS). Entries of the format before it (magic 'CMTB') are refused with a
 * clear error rather than misread.
 * <p>
 * The hash is kept so that the transaction index can be rebuilt without hashing; replay recomputes it from the
 * frame and the transaction root check proves both agree with the header.
 * <p>
 * A repair entry, appended when the journal is opened after a crash left the last block entry torn (its checksum
 * fails), tells readers that the torn entry is to be skipped rather than reported as corruption:
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                     Magic 'CMTR' (u32)                        |  0
 *  +---------------------------------------------------------------+
 *  |                 Entry length in bytes, 32 (u32)               |  4
 *  +---------------------------------------------------------------+
 *  |            CRC32C of bytes [12, entry length) (u32)           |  8
 *  +---------------------------------------------------------------+
 *  |          Chronicle index of the torn entry (i64)              | 12
 *  +---------------------------------------------------------------+
 *  |            Height of the last good block (i64)                | 20
 *  +---------------------------------------------------------------+
 *  |                       Reserved (u32)                          | 28
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class JournalEntryDescriptor
{
    /** 'CMTB' read as a little-endian int. */
    static final int BLOCK_MAGIC = 'C' | 'M' << 8 | 'T' << 16 | 'C' << 24;
    /** 'CMTB': block entries of the format without a commit. */
    static final int LEGACY_BLOCK_MAGIC = 'C' | 'M' << 8 | 'T' << 16 | 'B' << 24;
    /** 'CMTR' read as a little-endian int. */
    static final int REPAIR_MAGIC = 'C' | 'M' << 8 | 'T' << 16 | 'R' << 24;

    static final int MAGIC_OFFSET = 0;
    static final int LENGTH_OFFSET = 4;
    static final int CRC_OFFSET = 8;
    /** First byte covered by the checksum. */
    static final int CHECKED_OFFSET = 12;
    static final int HEIGHT_OFFSET = 12;
    static final int TX_COUNT_OFFSET = 20;
    static final int HEADER_OFFSET = 24;
    static final int COMMIT_OFFSET = HEADER_OFFSET + BlockHeader.ENCODED_LENGTH;
    /** The shortest block entry: no signers (the commit is its signer count alone) and no transactions. */
    static final int MIN_BLOCK_LENGTH = COMMIT_OFFSET + 4;

    static final int TX_FRAME_LENGTH_OFFSET = 0;
    static final int TX_STATUS_OFFSET = 4;
    static final int TX_FEE_OFFSET = 5;
    static final int TX_HASH_OFFSET = 13;
    static final int TX_FRAME_OFFSET = 45;
    static final int TX_RECORD_HEADER_LENGTH = TX_FRAME_OFFSET;

    static final int REPAIR_TORN_INDEX_OFFSET = 12;
    static final int REPAIR_LAST_HEIGHT_OFFSET = 20;
    static final int REPAIR_LENGTH = 32;

    private JournalEntryDescriptor()
    {
    }

    /**
     * @param commitLength encoded length of the block's commit.
     * @param txCount      transactions in the block.
     * @param frameBytes   total length of their frames.
     * @return length of the block's entry.
     */
    static long blockEntryLength(final int commitLength, final int txCount, final long frameBytes)
    {
        return COMMIT_OFFSET + commitLength + (long)txCount * TX_RECORD_HEADER_LENGTH + frameBytes;
    }
}
