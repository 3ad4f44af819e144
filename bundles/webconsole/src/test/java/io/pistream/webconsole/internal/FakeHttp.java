package io.pistream.webconsole.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

/** Just enough of a servlet container for the page: requests, a response that records, a session that keeps. */
final class FakeHttp {

    /** A browser's session: its attributes outlive the requests that share it. */
    static final class Session {
        final Map<String, Object> attributes = new HashMap<>();
        boolean exists;

        HttpSession asHttpSession() {
            return (HttpSession) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpSession.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "removeAttribute" -> attributes.remove((String) args[0]);
                        case "getId" -> "session-1";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    /** What the servlet answered. */
    static final class Response {
        final StringWriter body = new StringWriter();
        final Map<String, String> headers = new HashMap<>();
        int status = HttpServletResponse.SC_OK;
        String redirect;

        HttpServletResponse asHttpServletResponse() {
            PrintWriter writer = new PrintWriter(body, true);
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "getWriter" -> {
                                return writer;
                            }
                            case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                            case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                            case "setStatus" -> status = (Integer) args[0];
                            case "sendError" -> {
                                status = (Integer) args[0];
                                body.write(args.length > 1 ? (String) args[1] : "");
                            }
                            case "sendRedirect" -> {
                                status = HttpServletResponse.SC_FOUND;
                                redirect = (String) args[0];
                            }
                            case "getStatus" -> {
                                return status;
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
        }

        String text() {
            return body.toString();
        }
    }

    private FakeHttp() {
    }

    /** A request for {@code uri} with these parameters from a browser with {@code session} (made on first use). */
    static HttpServletRequest request(String method, String uri, Map<String, String> parameters, Session session) {
        return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, invoked, args) -> switch (invoked.getName()) {
                    case "getMethod" -> method;
                    case "getRequestURI" -> uri;
                    case "getParameter" -> parameters.get((String) args[0]);
                    case "getSession" -> {
                        boolean create = args == null || (Boolean) args[0];
                        if (!session.exists && !create) {
                            yield null;
                        }
                        session.exists = true;
                        yield session.asHttpSession();
                    }
                    default -> throw new UnsupportedOperationException(invoked.getName());
                });
    }
}
