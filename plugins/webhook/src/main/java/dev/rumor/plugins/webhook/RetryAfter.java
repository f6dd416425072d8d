package dev.rumor.plugins.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP {@code Retry-After} value (RFC 9110 section 10.2.3): delay seconds or an HTTP-date. */
final class RetryAfter {
    private RetryAfter() {
    }

    /** @return the wait it asks for (zero if the date is past), or null if absent or unreadable */
    static Duration parse(String value, Instant now) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.matches("\\d{1,10}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
