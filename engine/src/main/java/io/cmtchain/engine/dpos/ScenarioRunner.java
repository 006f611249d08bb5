package io.cmtchain.engine.dpos;

import io.cmtchain.engine.block.BlockHeader;
import io.cmtchain.engine.block.BlockReceipts;
import io.cmtchain.engine.block.BlockTransactions;
import io.cmtchain.engine.block.Chain;
import io.cmtchain.engine.contracts.ContractScenario;
import io.cmtchain.engine.contracts.ContractsDescriptor;
import io.cmtchain.engine.exec.ReferenceExecutor;
import io.cmtchain.engine.exec.TransactionProcessor;
import io.cmtchain.engine.genesis.Genesis;
import io.cmtchain.engine.genesis.GenesisException;
import io.cmtchain.engine.state.ChainState;
import io.cmtchain.engine.tx.Ed25519Key;
import io.cmtchain.engine.tx.ReceiptStatuses;
import io.cmtchain.engine.tx.TransactionBuilder;
import io.cmtchain.engine.tx.TxTypes;
import io.cmtchain.engine.util.Hex;
import io.cmtchain.engine.util.Json;
import io.cmtchain.engine.util.Sha256;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a DPoS scenario offline and deterministically: a genesis with accounts and candidates named by label, then
 * blocks of transactions with the validators that signed the previous block; returns the resulting state as JSON.
 * Pure: takes the scenario text, returns the report text (the format is documented in {@code docs/scenarios.md}).
 * Keys come from {@link ScenarioKeys}: the label "alice" always means the same key.
 */
public final class ScenarioRunner
{
    private static final List<String> TOP_FIELDS = List.of("chainId", "feeMicroCmt", "accounts", "dpos", "blocks",
        "contracts", "comment");
    private static final List<String> BLOCK_FIELDS = List.of("signers", "txs", "repeat", "comment");

    private final Map<String, Ed25519Key> keys = new HashMap<>();
    private final Map<ByteKey, String> labels = new HashMap<>();
    private final Map<String, Long> nonces = new HashMap<>();
    private final List<Object> blockReports = new ArrayList<>();
    private final ContractScenario contractScenario = new ContractScenario();
    private TransactionBuilder builder;
    private ChainState state;
    private DposState dpos;
    private Chain chain;
    private long fee;

    /** A scenario that cannot be run, with where and why. */
    public static final class ScenarioException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param message one line: where and why.
         */
        public ScenarioException(final String message)
        {
            super(message);
        }

        /**
         * @param value a JSON value, as read.
         * @return it as a message shows it: a string in quotes, so that "7" given for a number does not read as 7.
         */
        public static String shown(final Object value)
        {
            return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        }
    }

    private ScenarioRunner()
    {
    }

    /**
     * @param scenarioJson the scenario.
     * @return the report, indented JSON.
     * @throws ScenarioException naming the problem.
     */
    public static String run(final String scenarioJson)
    {
        return JsonWriter.write(new ScenarioRunner().execute(scenarioJson));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> execute(final String text)
    {
        final Object root;
        try
        {
            root = Json.parse(text);
        }
        catch (final Json.JsonException ex)
        {
            throw new ScenarioException("scenario is not valid JSON: " + ex.getMessage());
        }
        final Map<String, Object> doc = map(root, "scenario");
        final String unknown = Json.firstUnknownField(doc, TOP_FIELDS);
        if (unknown != null)
        {
            throw new ScenarioException("scenario has an unknown field \"" + unknown + "\"");
        }
        final int chainId = doc.containsKey("chainId") ? int32(doc.get("chainId"), "chainId") : 1;
        fee = doc.containsKey("feeMicroCmt") ? number(doc.get("feeMicroCmt"), "feeMicroCmt") : 0;
        builder = new TransactionBuilder(chainId);

        final Map<String, Object> genesis = new LinkedHashMap<>();
        genesis.put("chainId", (long)chainId);
        genesis.put("stateTreeDepth", 3L);
        genesis.put("fees", Map.of("minimumMicroCmt", fee));
        final List<Object> accounts = new ArrayList<>();
        if (doc.containsKey("accounts"))
        {
            for (final Map.Entry<String, Object> e : map(doc.get("accounts"), "accounts").entrySet())
            {
                final Map<String, Object> a = new LinkedHashMap<>();
                a.put("address", Hex.encode(address(e.getKey())));
                a.put("balanceMicroCmt", number(e.getValue(), "accounts." + e.getKey()));
                accounts.add(a);
            }
        }
        genesis.put("accounts", accounts);
        final Map<String, Object> dposDoc = new LinkedHashMap<>(map(doc.getOrDefault("dpos", new LinkedHashMap<>()),
            "dpos"));
        if (dposDoc.containsKey("foundation"))
        {
            // In a scenario the foundation is a label, like every other account.
            dposDoc.put("foundation", Hex.encode(address(string(dposDoc.get("foundation"), "dpos.foundation"))));
        }
        final List<Object> candidates = new ArrayList<>();
        String firstKey = null;
        final Object list = dposDoc.get("candidates");
        if (list != null)
        {
            final List<Object> in = list(list, "dpos.candidates");
            for (int i = 0; i < in.size(); i++)
            {
                final Map<String, Object> c = new LinkedHashMap<>(map(in.get(i), "dpos.candidates[" + i + "]"));
                final Object label = c.remove("key");
                if (!(label instanceof String))
                {
                    throw new ScenarioException("dpos.candidates[" + i + "] needs \"key\": the candidate's label");
                }
                final String publicKey = Hex.encode(key((String)label).publicKey());
                c.put("publicKey", publicKey);
                firstKey = firstKey == null ? publicKey : firstKey;
                candidates.add(c);
            }
        }
        dposDoc.put("candidates", candidates);
        genesis.put("validators", List.of(Map.of("publicKey",
            firstKey != null ? firstKey : Hex.encode(key("genesis-validator").publicKey()))));
        genesis.put("dpos", dposDoc);
        if (doc.containsKey("contracts"))
        {
            genesis.put("contracts", doc.get("contracts"));
        }
        try
        {
            state = Genesis.parse(JsonWriter.write(genesis)).createState(1);
        }
        catch (final GenesisException ex)
        {
            throw new ScenarioException("genesis: " + ex.getMessage());
        }
        dpos = state.dpos();
        chain = new Chain(state, 0, new byte[32]);

        final List<Object> blocks = list(doc.getOrDefault("blocks", new ArrayList<>()), "blocks");
        for (int b = 0; b < blocks.size(); b++)
        {
            final String where = "blocks[" + b + "]";
            final Map<String, Object> block = map(blocks.get(b), where);
            final String unknownInBlock = Json.firstUnknownField(block, BLOCK_FIELDS);
            if (unknownInBlock != null)
            {
                throw new ScenarioException(where + " has an unknown field \"" + unknownInBlock + "\"");
            }
            final long repeat = block.containsKey("repeat") ? number(block.get("repeat"), where + ".repeat") : 1;
            if (repeat < 1 || repeat > 1_000_000)
            {
                throw new ScenarioException(where + ".repeat must be in 1..1000000");
            }
            for (long r = 0; r < repeat; r++)
            {
                runBlock(block, where);
            }
        }
        return report();
    }

    private void runBlock(final Map<String, Object> block, final String where)
    {
        final byte[][] signers;
        final Object s = block.getOrDefault("signers", "all");
        if ("all".equals(s))
        {
            signers = new byte[dpos.prevValidators.length][];
            for (int i = 0; i < signers.length; i++)
            {
                signers[i] = dpos.prevValidators[i].owner.bytes();
            }
        }
        else
        {
            final List<Object> names = list(s, where + ".signers");
            signers = new byte[names.size()][];
            for (int i = 0; i < signers.length; i++)
            {
                if (!(names.get(i) instanceof String))
                {
                    throw new ScenarioException(where + ".signers[" + i + "] must be a label");
                }
                signers[i] = address((String)names.get(i));
            }
        }
        final List<Object> txList = list(block.getOrDefault("txs", new ArrayList<>()), where + ".txs");
        final BlockTransactions txs = new BlockTransactions(Math.max(1, txList.size()));
        final Sha256 sha = new Sha256();
        final List<String> types = new ArrayList<>();
        final List<String> senders = new ArrayList<>();
        final long height = chain.height() + 1;
        for (int i = 0; i < txList.size(); i++)
        {
            final FieldsRead tx = new FieldsRead(map(txList.get(i), where + ".txs[" + i + "]"));
            final byte[] frame = encode(tx, where + ".txs[" + i + "]", height);
            final String unread = tx.unread();
            if (unread != null)
            {
                // A misspelt optional field would otherwise leave its default in place without a word.
                throw new ScenarioException(where + ".txs[" + i + "] has a field " + tx.get("type") +
                    " does not take: \"" + unread + "\"");
            }
            txs.add(new UnsafeBuffer(frame), 0, frame.length, sha);
            types.add((String)tx.get("type"));
            senders.add((String)tx.get("from"));
        }
        final BlockReceipts receipts = new BlockReceipts(Math.max(1, txList.size()));
        final BlockHeader header = new BlockHeader();
        final int recognised = chain.apply(height * 10_000L, proposerOrZero(), signers, signers.length, txs,
            new ReferenceExecutor(), receipts, header);

        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("height", height);
        final List<Object> signerNames = new ArrayList<>();
        for (final byte[] signer : signers)
        {
            signerNames.add(name(signer));
        }
        report.put("signers", signerNames);
        report.put("signersRecognised", (long)recognised);
        final List<Object> receiptReports = new ArrayList<>();
        for (int i = 0; i < txList.size(); i++)
        {
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("type", types.get(i));
            r.put("from", senders.get(i));
            r.put("status", ReceiptStatuses.name(receipts.status(i)));
            r.put("feeMicroCmt", receipts.feeCharged(i));
            receiptReports.add(r);
        }
        report.put("receipts", receiptReports);
        final Map<String, Object> award = new LinkedHashMap<>();
        award.put("mintedMicroCmt", dpos.awardMintedMicroCmt);
        award.put("feesMicroCmt", dpos.awardFeesMicroCmt);
        final Map<String, Object> paid = new LinkedHashMap<>();
        for (int i = 0; i < dpos.awardRecipients.size(); i++)
        {
            paid.put(name(dpos.awardRecipients.get(i).owner.raw()), dpos.awardAmounts[i]);
        }
        award.put("paid", paid);
        report.put("award", award);
        final byte[] next = dpos.nextProposer();
        report.put("nextProposer", next == null ? null : name(next));
        if (state.contracts() != null)
        {
            report.put("contractActions", contractScenario.actions(state.contracts()));
        }
        report.put("stateRoot", Hex.encode(header.stateRoot));
        blockReports.add(report);
    }

    private byte[] proposerOrZero()
    {
        final byte[] p = dpos.nextProposer();
        return p == null ? new byte[20] : p;
    }

    private byte[] encode(final Map<String, Object> tx, final String where, final long height)
    {
        final String from = string(tx.get("from"), where + ".from");
        final String typeName = string(tx.get("type"), where + ".type");
        final int type = TxTypes.code(typeName);
        if (type < 0)
        {
            throw new ScenarioException(where + ": unknown transaction type \"" + typeName + "\"");
        }
        // Before the body: a contract's id is worked out from its creating transaction's nonce.
        final long nonce = nonce(tx, from, where);
        final byte[] body;
        if (type == TxTypes.TRANSFER)
        {
            body = new byte[28];
            System.arraycopy(address(string(tx.get("to"), where + ".to")), 0, body, 0, 20);
            putLong(body, 20, amount(tx, where));
        }
        else if (type == DposDescriptor.DECLARE_CANDIDACY)
        {
            final String consensus = tx.containsKey("consensusKey") ?
                string(tx.get("consensusKey"), where + ".consensusKey") : from;
            body = DposBodies.declareCandidacy(key(consensus).publicKey(), number(tx.get("maxStakeMicroCmt"),
                where + ".maxStakeMicroCmt"), int32(tx.get("commissionPpm"), where + ".commissionPpm"),
                description(tx, where));
        }
        else if (type == DposDescriptor.UPDATE_CANDIDACY)
        {
            body = DposBodies.updateCandidacy(number(tx.get("maxStakeMicroCmt"), where + ".maxStakeMicroCmt"),
                description(tx, where));
        }
        else if (type == DposDescriptor.WITHDRAW_CANDIDACY || type == DposDescriptor.ACTIVATE_CANDIDACY ||
            type == DposDescriptor.DEACTIVATE_CANDIDACY)
        {
            body = DposBodies.empty();
        }
        else if (type == DposDescriptor.VERIFY_CANDIDACY)
        {
            body = DposBodies.verifyCandidacy(address(string(tx.get("candidate"), where + ".candidate")),
                bool(tx, "verified", true, where) ? 1 : 0);
        }
        else if (type == DposDescriptor.SET_COMP_RATE)
        {
            body = DposBodies.setCompRate(address(string(tx.get("delegator"), where + ".delegator")),
                int32(tx.get("compRatePpm"), where + ".compRatePpm"));
        }
        else if (type == DposDescriptor.DELEGATE || type == DposDescriptor.WITHDRAW)
        {
            body = DposBodies.stake(address(string(tx.get("candidate"), where + ".candidate")), amount(tx, where));
        }
        else if (type == DposDescriptor.DOUBLE_SIGN_EVIDENCE)
        {
            final Ed25519Key signer = key(string(tx.get("validator"), where + ".validator"));
            final long at = tx.containsKey("height") ? number(tx.get("height"), where + ".height") : height - 1;
            body = DposBodies.doubleSignEvidence(signer.publicKey(), conflicting(signer, at, 1),
                conflicting(signer, at, 2));
        }
        else if (type == DposDescriptor.PROPOSE)
        {
            final String kind = string(tx.get("kind"), where + ".kind");
            if (kind.equals("change_param"))
            {
                final String param = string(tx.get("param"), where + ".param");
                final int id = DposParams.idOf(param);
                if (id == 0)
                {
                    throw new ScenarioException(where + ": unknown parameter \"" + param + "\"");
                }
                body = DposBodies.proposeChangeParam(id, number(tx.get("value"), where + ".value"));
            }
            else if (kind.equals("transfer_fund"))
            {
                body = DposBodies.proposeTransferFund(address(string(tx.get("fromAccount"), where + ".fromAccount")),
                    address(string(tx.get("to"), where + ".to")), amount(tx, where));
            }
            else
            {
                throw new ScenarioException(where + ".kind must be change_param or transfer_fund");
            }
        }
        else if (type == DposDescriptor.VOTE)
        {
            body = DposBodies.vote(number(tx.get("proposal"), where + ".proposal"),
                bool(tx, "yes", false, where) ? 1 : 0);
        }
        else if (ContractsDescriptor.isContract(type))
        {
            body = contractScenario.body(tx, where, type, address(from), nonce, this::address);
        }
        else
        {
            throw new ScenarioException(where + ": transaction type " + typeName + " is not supported in scenarios");
        }
        nonces.put(from, nonce + 1);
        final long txFee = tx.containsKey("feeMicroCmt") ? number(tx.get("feeMicroCmt"), where + ".feeMicroCmt") : fee;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int length = builder.build(key(from), nonce, txFee, 0, type, body, 0, body.length, buffer, 0);
        final byte[] frame = new byte[length];
        buffer.getBytes(0, frame);
        return frame;
    }

    /**
     * The nonce a transaction carries: as given, or the sender's next as counted. One given is refused outside
     * 0..{@link TransactionProcessor#MAX_NONCE}: the ledger would refuse it whatever the account's nonce, and from
     * Long.MAX_VALUE the count of the sender's next transaction would wrap to Long.MIN_VALUE. A counted one is at
     * most Long.MAX_VALUE (one past MAX_NONCE), which the ledger refuses as it must.
     */
    private long nonce(final Map<String, Object> tx, final String from, final String where)
    {
        if (!tx.containsKey("nonce"))
        {
            return nonces.getOrDefault(from, 0L);
        }
        final long nonce = number(tx.get("nonce"), where + ".nonce");
        if (nonce < 0 || nonce > TransactionProcessor.MAX_NONCE)
        {
            throw new ScenarioException(where + ".nonce must be 0 to " + TransactionProcessor.MAX_NONCE +
                " (the largest a transaction may carry), was " + nonce);
        }
        return nonce;
    }

    /** A header at {@code height} varied by {@code salt}, signed over its hash: half of a double sign. */
    private BlockHeader conflicting(final Ed25519Key key, final long height, final int salt)
    {
        return DposBodies.signedHeader(key, state.chainId(), height, salt);
    }

    private Map<String, Object> report()
    {
        final Map<String, Object> out = new LinkedHashMap<>();
        out.put("height", chain.height());
        out.put("stateRoot", Hex.encode(state.stateRoot()));
        final Map<String, Object> supply = new LinkedHashMap<>();
        supply.put("genesisMicroCmt", dpos.genesisSupplyMicroCmt());
        supply.put("mintedMicroCmt", dpos.mintedMicroCmt());
        supply.put("slashedMicroCmt", dpos.slashedMicroCmt());
        supply.put("expectedMicroCmt", dpos.supplyMicroCmt());
        supply.put("countedMicroCmt", state.totalSupplyMicroCmt());
        supply.put("stakedMicroCmt", dpos.auditHeldMicroCmt());
        out.put("supply", supply);
        out.put("feePoolMicroCmt", state.feePoolMicroCmt());

        final Map<String, Object> balances = new TreeMap<>();
        final byte[] address = new byte[20];
        for (int slot = 0, n = state.accounts().size(); slot < n; slot++)
        {
            state.accounts().address(slot, address, 0);
            balances.put(name(address), state.accounts().balance(slot));
        }
        out.put("balances", balances);

        final List<Candidate> ordered = new ArrayList<>();
        for (final Candidate c : dpos.validators)
        {
            ordered.add(c);
        }
        for (final Candidate c : dpos.backups)
        {
            ordered.add(c);
        }
        final TreeMap<ByteKey, Candidate> rest = new TreeMap<>();
        for (final Candidate c : dpos.candidates.values())
        {
            if (c.role == Candidate.ROLE_CANDIDATE)
            {
                rest.put(c.owner, c);
            }
        }
        ordered.addAll(rest.values());
        final List<Object> candidates = new ArrayList<>();
        final List<Object> delegations = new ArrayList<>();
        for (final Candidate c : ordered)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("candidate", name(c.owner.raw()));
            m.put("address", c.owner.toString());
            m.put("state", c.withdrawn ? "withdrawn" : !c.active ? "inactive" : Candidate.roleName(c.role));
            m.put("votingPowerMicroCmt", dpos.votingPower(c));
            m.put("stakeMicroCmt", c.totalStakeMicroCmt());
            m.put("idleMicroCmt", c.idleMicroCmt);
            m.put("maxStakeMicroCmt", c.maxStakeMicroCmt);
            m.put("commissionPpm", (long)c.commissionPpm);
            m.put("verified", c.verified);
            m.put("missedBlocks", (long)c.missedBlocks);
            m.put("description", new String(c.description, StandardCharsets.UTF_8));
            final List<Object> pools = new ArrayList<>();
            for (final StakePool p : c.pools)
            {
                final Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("commissionPpm", (long)p.commissionPpm);
                pm.put("valueMicroCmt", p.valueMicroCmt);
                pm.put("totalShares", p.totalShares);
                pools.add(pm);
            }
            m.put("pools", pools);
            candidates.add(m);
            for (final Delegation d : c.delegations.values())
            {
                final Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("candidate", name(c.owner.raw()));
                dm.put("delegator", name(d.delegator.raw()));
                dm.put("stakeMicroCmt", d.valueMicroCmt());
                dm.put("shares", d.shares);
                dm.put("idleMicroCmt", d.idleMicroCmt);
                dm.put("commissionPpm", (long)d.pool.commissionPpm);
                delegations.add(dm);
            }
        }
        out.put("candidates", candidates);
        out.put("delegations", delegations);

        final List<Object> unbonding = new ArrayList<>();
        for (final List<UnbondingEntry> due : dpos.unbondingByHeight.values())
        {
            for (final UnbondingEntry e : due)
            {
                final Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", e.id);
                m.put("delegator", name(e.delegator.raw()));
                m.put("candidate", name(e.candidate.owner.raw()));
                m.put("valueMicroCmt", e.valueMicroCmt());
                m.put("shares", e.shares);
                m.put("fixedMicroCmt", e.fixedMicroCmt);
                m.put("matureHeight", e.matureHeight);
                unbonding.add(m);
            }
        }
        out.put("unbonding", unbonding);

        final List<Object> proposals = new ArrayList<>();
        for (final Proposal p : dpos.proposals.values())
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id);
            m.put("proposer", name(p.proposer.raw()));
            if (p.kind == DposDescriptor.KIND_CHANGE_PARAM)
            {
                m.put("kind", "change_param");
                m.put("param", DposParams.NAMES[p.paramId]);
                m.put("value", p.value);
            }
            else
            {
                m.put("kind", "transfer_fund");
                m.put("fromAccount", name(p.from.raw()));
                m.put("to", name(p.to.raw()));
                m.put("amountMicroCmt", p.amountMicroCmt);
            }
            m.put("status", Proposal.STATUS_NAMES[p.status]);
            m.put("createdHeight", p.createdHeight);
            m.put("expiryHeight", p.expiryHeight);
            m.put("decidedHeight", p.decidedHeight);
            final Map<String, Object> votes = new LinkedHashMap<>();
            for (final Map.Entry<ByteKey, Boolean> v : p.votes.entrySet())
            {
                votes.put(name(v.getKey().raw()), v.getValue() ? "yes" : "no");
            }
            m.put("votes", votes);
            proposals.add(m);
        }
        out.put("proposals", proposals);
        if (state.contracts() != null)
        {
            final Map<String, byte[]> holders = new TreeMap<>();
            for (final Map.Entry<String, Ed25519Key> e : keys.entrySet())
            {
                holders.put(e.getKey(), e.getValue().address());
            }
            out.put("contracts", contractScenario.report(state.contracts(), holders));
        }
        out.put("blocks", blockReports);
        return out;
    }

    private Ed25519Key key(final String label)
    {
        return keys.computeIfAbsent(label, l ->
        {
            final Ed25519Key k = ScenarioKeys.key(l);
            labels.put(new ByteKey(k.address()), l);
            return k;
        });
    }

    private byte[] address(final String label)
    {
        return key(label).address();
    }

    private String name(final byte[] address)
    {
        final String label = labels.get(new ByteKey(address));
        return label != null ? label : Hex.encode(address);
    }

    private static byte[] description(final Map<String, Object> tx, final String where)
    {
        final Object d = tx.getOrDefault("description", "");
        if (!(d instanceof String))
        {
            throw new ScenarioException(where + ".description must be a string, was " + d);
        }
        return ((String)d).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A flag of a scenario transaction (DPoS or contract): absent (or null) is its default; anything but true or false
     * is refused, not taken for false.
     *
     * @param tx    the transaction's fields.
     * @param field the flag's name.
     * @param dflt  its value when absent.
     * @param where the transaction's place in the file, for the message.
     * @return the flag.
     * @throws ScenarioException naming the field and the value given, for a value that is no boolean.
     */
    public static boolean bool(final Map<String, Object> tx, final String field, final boolean dflt,
        final String where)
    {
        final Object value = tx.get(field);
        if (value == null)
        {
            return dflt;
        }
        if (!(value instanceof Boolean))
        {
            throw new ScenarioException(where + "." + field + " must be true or false, was " +
                ScenarioException.shown(value));
        }
        return (Boolean)value;
    }

    private static long amount(final Map<String, Object> tx, final String where)
    {
        return number(tx.get("amountMicroCmt"), where + ".amountMicroCmt");
    }

    private static void putLong(final byte[] out, final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            out[offset + i] = (byte)(value >>> (8 * i));
        }
    }

    private static long number(final Object value, final String where)
    {
        if (!(value instanceof Long))
        {
            throw new ScenarioException(where + " must be an integer, was " + ScenarioException.shown(value));
        }
        return (Long)value;
    }

    /** A field encoded in 32 bits: refused outside the int range rather than cut to its low 32 bits. */
    private static int int32(final Object value, final String where)
    {
        final long n = number(value, where);
        if (n != (int)n)
        {
            throw new ScenarioException(where + " must be a 32-bit integer, was " + n);
        }
        return (int)n;
    }

    private static String string(final Object value, final String where)
    {
        if (!(value instanceof String))
        {
            throw new ScenarioException(where + " must be a string, was " + value);
        }
        return (String)value;
    }

    /**
     * A transaction's fields, noting which ones its encoding reads ({@link #get}, {@link #containsKey},
     * {@link #getOrDefault}): any other, but a comment, is one its type does not take.
     */
    private static final class FieldsRead extends LinkedHashMap<String, Object>
    {
        private static final long serialVersionUID = 1L;

        private final transient Set<Object> read = new HashSet<>();

        FieldsRead(final Map<String, Object> fields)
        {
            super(fields);
            read.add("comment");
        }

        @Override
        public Object get(final Object key)
        {
            read.add(key);
            return super.get(key);
        }

        @Override
        public boolean containsKey(final Object key)
        {
            read.add(key);
            return super.containsKey(key);
        }

        @Override
        public Object getOrDefault(final Object key, final Object defaultValue)
        {
            read.add(key);
            return super.getOrDefault(key, defaultValue);
        }

        /** @return the first field nothing read, or null. */
        String unread()
        {
            for (final String key : keySet())
            {
                if (!read.contains(key))
                {
                    return key;
                }
            }
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(final Object value, final String where)
    {
        if (!(value instanceof Map))
        {
            throw new ScenarioException(where + " must be a JSON object");
        }
        return (Map<String, Object>)value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(final Object value, final String where)
    {
        if (!(value instanceof List))
        {
            throw new ScenarioException(where + " must be a JSON array");
        }
        return (List<Object>)value;
    }
}
