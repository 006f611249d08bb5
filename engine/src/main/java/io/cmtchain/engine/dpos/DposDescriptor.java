package io.cmtchain.engine.dpos;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.codec.TxType;

/**
 * Body layouts of the DPoS transaction types (all little-endian, fixed length per type, so that a length mismatch
 * is found by the stateless checks). Addresses are 20 bytes, public keys 32, amounts i64 µCMT, rates i32 parts per
 * million.
 * <pre>
 *  DECLARE_CANDIDACY (10)  pubKey[32] | maxStake i64 | commissionPpm i32 | descLen u8 | desc[128]        173 bytes
 *  UPDATE_CANDIDACY  (11)  maxStake i64 | descLen u8 | desc[128]                                          137 bytes
 *  WITHDRAW_CANDIDACY(12), ACTIVATE_CANDIDACY (13), DEACTIVATE_CANDIDACY (14)                              0 bytes
 *  VERIFY_CANDIDACY  (15)  candidate[20] | verified u8                                                     21 bytes
 *  SET_COMP_RATE     (16)  delegator[20] | compRatePpm i32                                                 24 bytes
 *  DELEGATE          (17)  candidate[20] | amount i64                                                      28 bytes
 *  WITHDRAW          (18)  candidate[20] | amount i64                                                      28 bytes
 *  DOUBLE_SIGN_EVIDENCE(19) pubKey[32] | headerA[240] | headerB[240]   (SBE-encoded BlockHeaders)          512 bytes
 *  PROPOSE           (20)  kind u8 | paramId u8 | value i64 | from[20] | to[20] | amount i64               58 bytes
 *  VOTE              (21)  proposalId i64 | yes u8                                                          9 bytes
 * </pre>
 */
public final class DposDescriptor
{
    public static final int DECLARE_CANDIDACY = TxType.DECLARE_CANDIDACY.value();
    public static final int UPDATE_CANDIDACY = TxType.UPDATE_CANDIDACY.value();
    public static final int WITHDRAW_CANDIDACY = TxType.WITHDRAW_CANDIDACY.value();
    public static final int ACTIVATE_CANDIDACY = TxType.ACTIVATE_CANDIDACY.value();
    public static final int DEACTIVATE_CANDIDACY = TxType.DEACTIVATE_CANDIDACY.value();
    public static final int VERIFY_CANDIDACY = TxType.VERIFY_CANDIDACY.value();
    public static final int SET_COMP_RATE = TxType.SET_COMP_RATE.value();
    public static final int DELEGATE = TxType.DELEGATE.value();
    public static final int WITHDRAW = TxType.WITHDRAW.value();
    public static final int DOUBLE_SIGN_EVIDENCE = TxType.DOUBLE_SIGN_EVIDENCE.value();
    public static final int PROPOSE = TxType.PROPOSE.value();
    public static final int VOTE = TxType.VOTE.value();

    /** First and last type codes reserved for DPoS. */
    public static final int FIRST_TYPE = 10;
    public static final int LAST_TYPE = 29;

    /** Longest candidate description, in bytes (UTF-8 as sent; the engine does not interpret it). */
    public static final int MAX_DESCRIPTION_LENGTH = 128;

    public static final int DECLARE_PUBLIC_KEY_OFFSET = 0;
    public static final int DECLARE_MAX_STAKE_OFFSET = 32;
    public static final int DECLARE_COMMISSION_OFFSET = 40;
    public static final int DECLARE_DESCRIPTION_LENGTH_OFFSET = 44;
    public static final int DECLARE_DESCRIPTION_OFFSET = 45;
    public static final int DECLARE_BODY_LENGTH = DECLARE_DESCRIPTION_OFFSET + MAX_DESCRIPTION_LENGTH;

    public static final int UPDATE_MAX_STAKE_OFFSET = 0;
    public static final int UPDATE_DESCRIPTION_LENGTH_OFFSET = 8;
    public static final int UPDATE_DESCRIPTION_OFFSET = 9;
    public static final int UPDATE_BODY_LENGTH = UPDATE_DESCRIPTION_OFFSET + MAX_DESCRIPTION_LENGTH;

    public static final int VERIFY_CANDIDATE_OFFSET = 0;
    public static final int VERIFY_FLAG_OFFSET = 20;
    public static final int VERIFY_BODY_LENGTH = 21;

    public static final int COMP_RATE_DELEGATOR_OFFSET = 0;
    public static final int COMP_RATE_PPM_OFFSET = 20;
    public static final int COMP_RATE_BODY_LENGTH = 24;

    /** DELEGATE and WITHDRAW share a layout. */
    public static final int STAKE_CANDIDATE_OFFSET = 0;
    public static final int STAKE_AMOUNT_OFFSET = 20;
    public static final int STAKE_BODY_LENGTH = 28;

    public static final int EVIDENCE_PUBLIC_KEY_OFFSET = 0;
    public static final int EVIDENCE_HEADER_A_OFFSET = 32;
    public static final int EVIDENCE_HEADER_B_OFFSET = EVIDENCE_HEADER_A_OFFSET + BlockHeader.ENCODED_LENGTH;
    public static final int EVIDENCE_BODY_LENGTH = EVIDENCE_HEADER_B_OFFSET + BlockHeader.ENCODED_LENGTH;

    public static final int PROPOSE_KIND_OFFSET = 0;
    public static final int PROPOSE_PARAM_OFFSET = 1;
    public static final int PROPOSE_VALUE_OFFSET = 2;
    public static final int PROPOSE_FROM_OFFSET = 10;
    public static final int PROPOSE_TO_OFFSET = 30;
    public static final int PROPOSE_AMOUNT_OFFSET = 50;
    public static final int PROPOSE_BODY_LENGTH = 58;

    public static final int VOTE_PROPOSAL_OFFSET = 0;
    public static final int VOTE_YES_OFFSET = 8;
    public static final int VOTE_BODY_LENGTH = 9;

    /** Proposal kinds. */
    public static final int KIND_CHANGE_PARAM = 1;
    public static final int KIND_TRANSFER_FUND = 2;

    private DposDescriptor()
    {
    }

    /**
     * @param type code.
     * @return true for a DPoS transaction type this engine knows.
     */
    public static boolean isDpos(final int type)
    {
        return type >= DECLARE_CANDIDACY && type <= VOTE;
    }

    /**
     * @param type code.
     * @return the body length of a DPoS type, or -1.
     */
    public static int bodyLength(final int type)
    {
        switch (type)
        {
            case 10: return DECLARE_BODY_LENGTH;
            case 11: return UPDATE_BODY_LENGTH;
            case 12:
            case 13:
            case 14: return 0;
            case 15: return VERIFY_BODY_LENGTH;
            case 16: return COMP_RATE_BODY_LENGTH;
            case 17:
            case 18: return STAKE_BODY_LENGTH;
            case 19: return EVIDENCE_BODY_LENGTH;
            case 20: return PROPOSE_BODY_LENGTH;
            case 21: return VOTE_BODY_LENGTH;
            default: return -1;
        }
    }
}
