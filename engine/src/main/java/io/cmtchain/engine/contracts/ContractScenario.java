package io.cmtchain.engine.contracts;

import io.cmtchain.engine.codec.TxType;
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
    private final Map<String, Long> ids = new LinkedHashMap<>();
    private final Map<Long, String> idLabels = new TreeMap<>();
    private final Map<String, Boolean> isToken = new LinkedHashMap<>();

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
                define(tx, where, from, nonce, true);
                final int flags = (flag(tx, "mintable") ? ContractsDescriptor.FLAG_MINTABLE : 0) |
                    (flag(tx, "burnable") ? ContractsDescriptor.FLAG_BURNABLE : 0) |
                    (flag(tx, "freezable") ? ContractsDescriptor.FLAG_FREEZABLE : 0);
                return ContractBodies.tokenCreate(string(tx, "name", where), string(tx, "symbol", where),
                    (int)number(tx, "decimals", where, 0L), flags, number(tx, "supply", where, 0L));
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
                    flag(tx, "frozen") ? 1 : 0);
            case ESCROW_CREATE:
            {
                final long token = tx.containsKey("token") ? id(tx, "token", where) : 0;
                define(tx, where, from, nonce, false);
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
        for (final Map.Entry<String, Long> e : ids.entrySet())
        {
            final long id = e.getValue();
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", id);
            if (isToken.get(e.getKey()))
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
        out.put("lockedMicroCmt", contracts.lockedMicroCmt());
        out.put("scheduled", (long)contracts.scheduledCount());
        final Map<String, Object> credit = new TreeMap<>();
        for (final Map.Entry<String, byte[]> h : holders.entrySet())
        {
            final long completed = contracts.escrowsCompleted(h.getValue());
            final long disputed = contracts.escrowsDisputed(h.getValue());
            if (completed != 0 || disputed != 0)
            {
                final Map<String, Object> c = new LinkedHashMap<>();
                c.put("escrowsCompleted", completed);
                c.put("escrowsDisputed", disputed);
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
            m.put("kind", contracts.actionKind(i) == ContractsState.ACTION_ESCROW_DEADLINE ? "escrow_deadline" :
                "kind_" + contracts.actionKind(i));
            final String label = idLabels.get(contracts.actionContractId(i));
            m.put("contract", label != null ? label : (Object)contracts.actionContractId(i));
            m.put("outcome", contracts.actionOutcome(i) == ContractsState.OUTCOME_RELEASED ? "released" :
                "outcome_" + contracts.actionOutcome(i));
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
        final Map<String, Object> tx, final String where, final byte[] from, final long nonce, final boolean token)
    {
        final String label = string(tx, "id", where);
        if (ids.containsKey(label))
        {
            throw new ScenarioException(where + ": contract label \"" + label + "\" is already defined");
        }
        final long id = ContractsState.contractId(from, nonce);
        ids.put(label, id);
        idLabels.put(id, label);
        isToken.put(label, token);
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

    private static boolean flag(final Map<String, Object> tx, final String field)
    {
        return Boolean.TRUE.equals(tx.get(field));
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

    private static long number(final Map<String, Object> tx, final String field, final String where, final Long dflt)
    {
        final Object v = tx.get(field);
        if (v == null && dflt != null)
        {
            return dflt;
        }
        if (!(v instanceof Long))
        {
            throw new ScenarioException(where + "." + field + " must be an integer, was " + v);
        }
        return (Long)v;
    }
}
