package org.topiary.sparsity.json;

/**
 * A Topiary JSON document that cannot be read: malformed JSON, an unknown type or version, a
 * missing or invalid field. The message names the field (as a JSON path) and says what to do.
 */
public final class ConfigFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigFormatException(String message) {
        super(message);
    }

    public ConfigFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
