package io.pistream.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void sourceNamesCannotInjectMarkup() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;",
                Html.escape("<script>alert('x')</script> & \""));
        assertEquals("", Html.escape(null));
    }

    @Test
    void queryValuesAreEncodedSoTheyCannotEndTheUrlOrTheAttribute() {
        assertEquals("cam%27%3B+a%3D1%26b%22%3E", Html.queryValue("cam'; a=1&b\">"));
        assertEquals("", Html.queryValue(null));
    }
}
