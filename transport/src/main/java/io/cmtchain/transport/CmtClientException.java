package io.cmtchain.transport;

/**
 * A {@link CmtClient} call failed: could not connect, or (for {@link CmtClient#submitAsync}) the submission was not
 * taken or its receipt was lost. {@link #code()} is the {@code CmtClient} return code or lost reason.
 */
public final class CmtClientException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final long code;

    /**
     * @param code    a {@code CmtClient} return code (negative) or lost reason (positive).
     * @param message what happened.
     */
    public CmtClientException(final long code, final String message)
    {
        super(message);
        this.code = code;
    }

    /** @return the {@code CmtClient} return code (negative) or lost reason (positive). */
    public long code()
    {
        return code;
    }
}
