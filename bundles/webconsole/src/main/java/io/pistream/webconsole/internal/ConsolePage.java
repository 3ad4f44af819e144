package io.pistream.webconsole.internal;

/**
 * What the sections need from the page they are written into: links back to it and action buttons. Both are
 * escaped here, and every button carries the session's {@link FormToken}, so that no section can forget either.
 */
final class ConsolePage {

    private final String address;
    private final String formToken;

    /**
     * @param address   the page's path as the request named it; it is client-controlled, so it is escaped wherever
     *                  it is written
     * @param formToken the session's token for the page's forms
     */
    ConsolePage(String address, String formToken) {
        this.address = address == null ? "" : address;
        this.formToken = formToken;
    }

    /** The page's address with one query parameter, escaped for a quoted attribute. */
    String link(String parameter, String value) {
        return Html.escape(address + "?" + Html.queryValue(parameter) + "=" + Html.queryValue(value));
    }

    /** A button that posts {@code action} with one parameter, and the form token, back to the page. */
    String button(String action, String name, String value, String label) {
        return "<form method='post' action='" + Html.escape(address) + "' style='display:inline'>"
                + hidden("action", action) + hidden(name, value) + hidden(FormToken.PARAMETER, formToken)
                + "<button type='submit'>" + Html.escape(label) + "</button></form> ";
    }

    private static String hidden(String name, String value) {
        return "<input type='hidden' name='" + Html.escape(name) + "' value='" + Html.escape(value) + "'>";
    }
}
