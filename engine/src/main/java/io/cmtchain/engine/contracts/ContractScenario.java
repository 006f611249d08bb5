package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.TxType;
import io.cmtchain.engine.dpos.ScenarioRunner;
import io.cmtchain.engine.dpos.ScenarioRunner.ScenarioException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The contract side of a scenario ({@code docs/contracts.md}): encodes contract transactions written with labels
 * and reports tokens, escrows, credit and each block's scheduled actions. Tokens and escrows are named by the label
 * their creating transaction gives them in {@code "id"}; the runner's labels name accounts.
 */
public final class ContractScenario
{
    private static final String[] LOAN_STATUS = {"offered", "active", "late", "repaid", "defaulted", "cancelled"};
    private static final String[] ACTION_KIND = {"none", "escrow_deadline", "loan_instalment", "loan_grace_end",
        "policy_expiry"};
    private static final String[] OUTCOME = {"released", "paid", "missed", "paid_late", "defaulted", "returned"};

    /** Largest values of the bodies' unsigned fields narrower than a long. */
    private static final long U8 = 0xFF;
    private static final long U16 = 0xFFFF;
    private static final long U32 = 0xFFFF_FFFFL;

    private final Map<String, Long> ids = new LinkedHashMap<>();
    private final Map<Long, String> idLabels = new TreeMap<>();
    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    private enum Kind
    {
        TOKEN, ESCROW, LOAN, POOL
    }

    /**
     * @param tx      the transaction's JSON object.
     * @param where   its position, for error messages.
     * @param type    its type code (a contract type).
     * @param from    the sender's address.
     * @param nonce   the nonce it will carry.
     * @param address label to address.
     * @return the body.
     */
    public byte[] body(
        final Map<String, Object> tx, final String where, final int type, final byte[] from, final long nonce,
        final Function<String, byte[]> address)
    {
        switch (TxType.get((short)type))
        {
            case TOKEN_CREATE:
            {
                define(tx, where, from, nonce, Kind.TOKEN);
                final int flags = (flag(tx, "mintable", where) ? ContractsDescriptor.FLAG_MINTABLE : 0) |
                    (flag(tx, "burnable", where) ? ContractsDescriptor.FLAG_BURNABLE : 0) |
                    (flag(tx, "freezable", where) ? ContractsDescriptor.FLAG_FREEZABLE : 0);
                return ContractBodies.tokenCreate(text(tx, "name", where, ContractsDescriptor.NAME_LENGTH),
                    text(tx, "symbol", where, ContractsDescriptor.SYMBOL_LENGTH),
                    (int)number(tx, "decimals", where, 0L, 0, U8), flags, number(tx, "supply", where, 0L));
            }
            case TOKEN_TRANSFER:
            case TOKEN_MINT:
                return ContractBodies.tokenMove(id(tx, "token", where), address.apply(string(tx, "to", where)),
                    number(tx, "amount", where, null));
            case TOKEN_APPROVE:
                return ContractBodies.tokenMove(id(tx, "token", where), address.apply(string(tx, "spender", where)),
                    number(tx, "amount", where, null));
            case TOKEN_TRANSFER_FROM:
                return ContractBodies.tokenTransferFrom(id(tx, "token", where),
                    address.apply(string(tx, "owner", where)), address.apply(string(tx, "to", where)),
                    number(tx, "amount", where, null));
            case TOKEN_BURN:
                return ContractBodies.tokenBurn(id(tx, "token", where), number(tx, "amount", where, null));
            case TOKEN_FREEZE:
                return ContractBodies.tokenFreeze(id(tx, "token", where), address.apply(string(tx, "account", where)),
                    flag(tx, "frozen", where) ? 1 : 0);
            case ESCROW_CREATE:
            {
                final long token = tx.containsKey("token") ? id(tx, "token", where) : 0;
                define(tx, where, from, nonce, Kind.ESCROW);
                return ContractBodies.escrowCreate(address.apply(string(tx, "seller", where)),
                    tx.containsKey("arbiter") ? address.apply(string(tx, "arbiter", where)) : null, token,
                    number(tx, "amount", where, null), number(tx, "deadlineHeight", where, null));
            }
            case ESCROW_RELEASE:
            case ESCROW_CLAIM:
            case ESCROW_DISPUTE:
                return ContractBodies.escrowAction(id(tx, "escrow", where));
            case ESCROW_SETTLE:
                return ContractBodies.escrowSettle(id(tx, "escrow", where), number(tx, "toSeller", where, null));
            case LOAN_OFFER:
                define(tx, where, from, nonce, Kind.LOAN);
                return ContractBodies.loanOffer(address.apply(string(tx, "borrower", where)),
                    number(tx, "principal", where, null),
                    (int)number(tx, "ratePpm", where, 0L, Integer.MIN_VALUE, Integer.MAX_VALUE),
                    (int)number(tx, "instalments", where, null, 0, U16),
                    number(tx, "intervalBlocks", where, null, 0, U32), number(tx, "graceBlocks", where, 0L, 0, U32),
                    number(tx, "lateFee", where, 0L));
            case LOAN_ACCEPT:
            case LOAN_CANCEL:
            case LOAN_REPAY:
                return ContractBodies.loanAction(id(tx, "loan", where));
            case INSURANCE_OPEN:
                define(tx, where, from, nonce, Kind.POOL);
                return ContractBodies.insuranceOpen(address.apply(string(tx, "adjuster", where)),
                    number(tx, "premium", where, null), number(tx, "baseCover", where, null),
                    number(tx, "capCover", where, null), number(tx, "deposit", where, 0L),
                    number(tx, "salesEndHeight", where, null), number(tx, "expiryHeight", where, null));
            case INSURANCE_BUY:
                return ContractBodies.insuranceBuy(id(tx, "pool", where));
            case INSURANCE_APPROVE:
                return ContractBodies.insuranceApprove(id(tx, "pool", where),
                    address.apply(string(tx, "holder", where)), (int)number(tx, "delayMinutes", where, null, 0, U32),
                    number(tx, "amount", where, 0L));
            default:
                throw new ScenarioException(where + ": type " + type + " is not a contract type");
        }
    }

    /**
     * @param contracts the state.
     * @param holders   labels of every account the scenario named, with their addresses.
     * @return tokens (supply, locked, balances by label), escrows (status) and credit, for the final report.
     */
    public Map<String, Object> report(final ContractsState contracts, final Map<String, byte[]> holders)
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        final Map<String, Object> tokens = new LinkedHashMap<>();
        final Map<String, Object> escrows = new LinkedHashMap<>();
        final Map<String, Object> loans = new LinkedHashMap<>();
        final Map<String, Object> pools = new LinkedHashMap<>();
        for (final Map.Entry<String, Long> e : ids.entrySet())
        {
            final long id = e.getValue();
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            if (kinds.get(e.getKey()) == Kind.POOL)
            {
                if (contracts.poolFunds(id) >= 0)
                {
                    m.put("funds", contracts.poolFunds(id));
                    m.put("paidOut", contracts.poolPaidOut(id));
                    m.put("returned", contracts.poolReturned(id));
                    m.put("closed", contracts.poolClosed(id));
                    final Map<String, Object> payouts = new TreeMap<>();
                    for (final Map.Entry<String, byte[]> h : holders.entrySet())
                    {
                        final long payout = contracts.policyPayout(id, h.getValue());
                        if (payout >= 0)
                        {
                            payouts.put(h.getKey(), payout);
                        }
                    }
                    m.put("policies", payouts);
                    pools.put(e.getKey(), m);
                }
            }
            else if (kinds.get(e.getKey()) == Kind.LOAN)
            {
                final int status = contracts.loanStatus(id);
                if (status >= 0)
                {
                    m.put("status", LOAN_STATUS[status]);
                    m.put("outstanding", contracts.loanOutstanding(id));
                    m.put("paidInstalments", (long)contracts.loanPaidCount(id));
                    m.put("interestPaid", contracts.loanInterestPaid(id));
                    m.put("dueHeight", contracts.loanDueHeight(id));
                    loans.put(e.getKey(), m);
                }
            }
            else if (kinds.get(e.getKey()) == Kind.TOKEN)
            {
                if (!contracts.tokenExists(id))
                {
                    continue;
                }
                m.put("totalSupply", contracts.tokenTotalSupply(id));
                m.put("locked", contracts.tokenLocked(id));
                final Map<String, Object> balances = new TreeMap<>();
                for (final Map.Entry<String, byte[]> h : holders.entrySet())
                {
                    final long balance = contracts.tokenBalance(id, h.getValue());
                    if (balance != 0 || contracts.tokenFrozen(id, h.getValue()))
                    {
                        balances.put(h.getKey(), contracts.tokenFrozen(id, h.getValue()) ?
                            (Object)(balance + " (frozen)") : (Object)balance);
                    }
                }
                m.put("balances", balances);
                tokens.put(e.getKey(), m);
            }
            else
            {
                final int status = contracts.escrowStatus(id);
                if (status < 0)
                {
                    continue;
                }
                m.put("status", statusName(status));
                escrows.put(e.getKey(), m);
            }
        }
        out.put("tokens", tokens);
        out.put("escrows", escrows);
        out.put("loans", loans);
        out.put("insurancePools", pools);
        out.put("lockedMicroCmt", contracts.lockedMicroCmt());
        out.put("scheduled", (long)contracts.scheduledCount());
        final Map<String, Object> credit = new TreeMap<>();
        for (final Map.Entry<String, byte[]> h : holders.entrySet())
        {
            final byte[] a = h.getValue();
            final long completed = contracts.escrowsCompleted(a);
            final long disputed = contracts.escrowsDisputed(a);
            final long onTime = contracts.loansOnTime(a);
            final long late = contracts.loansLate(a);
            final long defaulted = contracts.loansDefaulted(a);
            if (completed != 0 || disputed != 0 || onTime != 0 || late != 0 || defaulted != 0)
            {
                final Map<String, Object> c = new LinkedHashMap<>();
                c.put("escrowsCompleted", completed);
                c.put("escrowsDisputed", disputed);
                c.put("loansOnTime", onTime);
                c.put("loansLate", late);
                c.put("loansDefaulted", defaulted);
                credit.put(h.getKey(), c);
            }
        }
        out.put("credit", credit);
        return out;
    }

    /**
     * @param contracts the state, just after a block.
     * @return the scheduled actions that block's end ran (at the start of the next height).
     */
    public List<Object> actions(final ContractsState contracts)
    {
        final List<Object> out = new ArrayList<>();
        for (int i = 0; i < contracts.actionCount(); i++)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("dueHeight", contracts.actionDueHeight(i));
            m.put("kind", ACTION_KIND[contracts.actionKind(i)]);
            final String label = idLabels.get(contracts.actionContractId(i));
            m.put("contract", label != null ? label : (Object)contracts.actionContractId(i));
            m.put("outcome", OUTCOME[contracts.actionOutcome(i)]);
            out.add(m);
        }
        return out;
    }

    private static String statusName(final int status)
    {
        switch (status)
        {
            case ContractsState.ESCROW_OPEN: return "open";
            case ContractsState.ESCROW_DISPUTED: return "disputed";
            case ContractsState.ESCROW_RELEASED: return "released";
            case ContractsState.ESCROW_CLAIMED: return "claimed";
            case ContractsState.ESCROW_SETTLED: return "settled";
            case ContractsState.ESCROW_AUTO_RELEASED: return "auto_released";
            default: return "status_" + status;
        }
    }

    private void define(
        final Map<String, Object> tx, final String where, final byte[] from, final long nonce, final Kind kind)
    {
        final String label = string(tx, "id", where);
        if (ids.containsKey(label))
        {
            throw new ScenarioException(where + ": contract label \"" + label + "\" is already defined");
        }
        final long id = ContractsState.contractId(from, nonce);
        ids.put(label, id);
        idLabels.put(id, label);
        kinds.put(label, kind);
    }

    private long id(final Map<String, Object> tx, final String field, final String where)
    {
        final String label = string(tx, field, where);
        final Long id = ids.get(label);
        if (id == null)
        {
            throw new ScenarioException(where + "." + field + ": no contract labelled \"" + label + "\" yet");
        }
        return id;
    }

    /** A flag: absent (or null) is false; anything but true or false is refused ({@link ScenarioRunner#bool}). */
    private static boolean flag(final Map<String, Object> tx, final String field, final String where)
    {
        return ScenarioRunner.bool(tx, field, false, where);
    }

    private static String string(final Map<String, Object> tx, final String field, final String where)
    {
        final Object v = tx.get(field);
        if (!(v instanceof String))
        {
            throw new ScenarioException(where + "." + field + " must be a string, was " + v);
        }
        return (String)v;
    }

    /**
     * A text field of a body: one that does not fit (too long, or not ASCII) is refused here, since the body would
     * carry another (cut, or with '?' for each character ASCII lacks). Text that fits goes as written, even when the
     * rules will reject it.
     */
    private static String text(
        final Map<String, Object> tx, final String field, final String where, final int maxLength)
    {
        final String s = string(tx, field, where);
        if (!ContractBodies.fits(s, maxLength))
        {
            throw new ScenarioException(where + "." + field + " must be at most " + maxLength +
                " ASCII characters, was \"" + s + "\"");
        }
        return s;
    }

    /**
     * An integer for a body field narrower than a long: a value outside the field's range is refused here, since
     * the body would carry another (its low bits). A value in range goes as written, even when the rules will
     * reject it.
     */
    private static long number(
        final Map<String, Object> tx, final String field, final String where, final Long dflt, final long min,
        final long max)
    {
        final long v = number(tx, field, where, dflt);
        if (v < min || v > max)
        {
            throw new ScenarioException(where + "." + field + " must be within " + min + ".." + max +
                " (the width of its field), was " + v);
        }
        return v;
    }

    private static long number(final Map<String, Object> tx, final String field, final String where, final Long dflt)
    {
        final Object v = tx.get(field);
        if (v == null && dflt != null)
        {
            return dflt;
        }
        if (!(v instanceof Long))
        {
            throw new ScenarioException(where + "." + field + " must be an integer, was " +
                ScenarioException.shown(v));
        }
        return (Long)v;
    }
}
