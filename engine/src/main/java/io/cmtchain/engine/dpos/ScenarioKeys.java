package io.cmtchain.engine.dpos;

import io.cmtchain.engine.tx.Ed25519Key;

/**
 * Keys named by label for scenarios and tests: "alice" is {@code Ed25519Key.devnet("cmt-scenario", 0)} seeded by
 * the label, so anyone can derive it. Devnet only: never for a real chain.
 */
public final class ScenarioKeys
{
    /** Family tag of scenario keys. */
    public static final String TAG = "cmt-scenario/";

    private ScenarioKeys()
    {
    }

    /**
     * @param label a name such as "alice".
     * @return the key: seed = SHA-256("cmt-scenario/" || label UTF-8 || 0 as i64 LE).
     */
    public static Ed25519Key key(final String label)
    {
        return Ed25519Key.devnet(TAG + label, 0);
    }
}
