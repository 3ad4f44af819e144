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
}
