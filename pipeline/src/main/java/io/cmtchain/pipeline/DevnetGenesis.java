package io.cmtchain.pipeline;

import io.cmtchain.engine.genesis.Genesis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The devnet genesis embedded in the node ({@code io/cmtchain/pipeline/devnet-genesis.json}): chain id 1001, four
 * devnet validators that are also the genesis DPoS validators (staking 4, 3, 2 and 1 million CMT, so the proposer
 * rotation is visibly stake-weighted; the node holds their keys, proposes every block and signs every commit),
 * 10,000 devnet accounts (enough distinct senders for a load test) holding 1,000,000 CMT each, a 100 µCMT minimum fee,
 * and the Smart Business Contracts.
 */
public final class DevnetGenesis
{
    /** Class path resource of the embedded devnet genesis. */
    public static final String RESOURCE = "/io/cmtchain/pipeline/devnet-genesis.json";

    private static final Pattern DEVNET_ACCOUNTS =
        Pattern.compile("(\"devnet\"\\s*:\\s*\\{[^}]*\"accounts\"\\s*:\\s*)\\d+");

    private DevnetGenesis()
    {
    }

    /** @return the embedded genesis JSON. */
    public static String json()
    {
        try (InputStream in = DevnetGenesis.class.getResourceAsStream(RESOURCE))
        {
            if (in == null)
            {
                throw new IllegalStateException("missing class path resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + RESOURCE, ex);
        }
    }

    /** @return the embedded genesis. */
    public static Genesis genesis()
    {
        return Genesis.parse(json());
    }

    /**
     * The embedded genesis without DPoS: round-robin proposers and unsigned headers, for benchmarks that compare the
     * pipeline's own cost with a baseline that has no block signing.
     *
     * @param accounts devnet accounts wanted.
     * @return the genesis JSON with that many devnet accounts and neither validator stakes nor a "dpos" section.
     */
    public static String jsonWithoutDpos(final int accounts)
    {
        final String json = jsonWithAccounts(accounts)
            .replaceFirst(",\\s*\"validatorStakesMicroCmt\"\\s*:\\s*\\[[^\\]]*\\]", "")
            .replaceFirst("\"dpos\"\\s*:\\s*\\{[^}]*\\},\\s*", "");
        if (json.contains("\"dpos\"") || json.contains("validatorStakesMicroCmt"))
        {
            throw new IllegalStateException(RESOURCE + ": cannot take its DPoS section out");
        }
        return json;
    }

    /**
     * @param accounts devnet accounts wanted.
     * @return the embedded genesis JSON with that many devnet accounts.
     */
    public static String jsonWithAccounts(final int accounts)
    {
        final Matcher matcher = DEVNET_ACCOUNTS.matcher(json());
        if (!matcher.find())
        {
            throw new IllegalStateException(RESOURCE + " has no devnet.accounts");
        }
        return matcher.replaceFirst(Matcher.quoteReplacement(matcher.group(1)) + accounts);
    }
}
