package io.cmtchain.pipeline.cli;

import io.cmtchain.engine.codec.ReceiptStatus;
import io.cmtchain.transport.Receipt;
import io.cmtchain.transport.TransactionState;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@code cmt send} says of a rejection: the block that holds it, from the node's journal, not the height its
 * receipt carries (which, for a transaction refused before any block, is the height being cut when it was refused).
 */
class SendRejectionTest
{
    private static final byte[] HASH = new byte[32];
    private static final String HEX = "00".repeat(32);

    @Test
    void shouldNameTheBlockThatHoldsALedgerRejectionAndItsFee()
    {
        assertEquals("rejected: BAD_NONCE in block 7, fee 0.000000 CMT (0 µCMT)",
            SendCommand.rejection(receipt(ReceiptStatus.BAD_NONCE, 7, 0), found(7, ReceiptStatus.BAD_NONCE, 0), HEX));
        assertEquals("rejected: INSUFFICIENT_FUNDS in block 9, fee 0.000100 CMT (100 µCMT)", SendCommand.rejection(
            receipt(ReceiptStatus.INSUFFICIENT_FUNDS, 9, 100), found(9, ReceiptStatus.INSUFFICIENT_FUNDS, 100), HEX));
    }

    @Test
    void shouldSayNoBlockHoldsATransactionRefusedBeforeOneWhateverHeightItsReceiptCarries()
    {
        assertEquals("rejected: BAD_SIGNATURE before any block, no fee",
            SendCommand.rejection(receipt(ReceiptStatus.BAD_SIGNATURE, 12, 0), notFound(), HEX));
        assertEquals("rejected: OVERSIZED before any block, no fee",
            SendCommand.rejection(receipt(ReceiptStatus.OVERSIZED, 0, 0), notFound(), HEX));
    }

    @Test
    void shouldNameTheBlockOfTheEarlierCopyOfADuplicateOrSayItIsStillOnItsWay()
    {
        assertEquals("rejected: DUPLICATE: the same transaction is in block 3 already, status OK, fee 0.000250 CMT " +
            "(250 µCMT)",
            SendCommand.rejection(receipt(ReceiptStatus.DUPLICATE, 5, 0), found(3, ReceiptStatus.OK, 250), HEX));
        assertEquals("rejected: DUPLICATE: the same transaction was sent before and is not in a block yet; cmt " +
            "receipt " + HEX + " tells once it is",
            SendCommand.rejection(receipt(ReceiptStatus.DUPLICATE, 5, 0), notFound(), HEX));
    }

    @Test
    void shouldSayWhereToLookWhenTheNodeDidNotAnswer()
    {
        assertEquals("rejected: DUPLICATE (whether a block holds it is unknown: cmt receipt " + HEX + " tells)",
            SendCommand.rejection(receipt(ReceiptStatus.DUPLICATE, 5, 0), null, HEX));
    }

    @Test
    void shouldSayWhenTheNodeCannotReadTheBlockItsIndexPlacesTheTransactionIn()
    {
        // Without it, "before any block, no fee" and "not in a block yet": both would be guesses.
        assertEquals("rejected: DUPLICATE (whether a block holds it is unknown: the node's index places it in block " +
            "3, which the node cannot read from its journal, damaged on disk)",
            SendCommand.rejection(receipt(ReceiptStatus.DUPLICATE, 5, 0), TransactionState.unreadable(HASH, 3, 20),
            HEX));
        assertEquals("rejected: BAD_NONCE (whether a block holds it is unknown: the node's journal lookup failed)",
            SendCommand.rejection(receipt(ReceiptStatus.BAD_NONCE, 5, 0), TransactionState.unreadable(HASH, 0, 20),
            HEX));
    }

    private static Receipt receipt(final ReceiptStatus status, final long height, final long fee)
    {
        return new Receipt(HASH, status.value(), height, fee);
    }

    private static TransactionState found(final long height, final ReceiptStatus status, final long fee)
    {
        return new TransactionState(HASH, true, height, 0, status.value(), fee, height);
    }

    private static TransactionState notFound()
    {
        return new TransactionState(HASH, false, 0, 0, TransactionState.NO_STATUS, 0, 20);
    }
}
