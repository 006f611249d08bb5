package io.cmtchain.engine.genesis;

/**
 * A genesis file that cannot be used; the message says what and where.
 */
public final class GenesisException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong, for an operator.
     */
    public GenesisException(final String message)
    {
        super(message);
    }
}
