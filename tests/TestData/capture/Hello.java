// Java SSLSocket client for capture.sh: `java Hello.java HOST PORT SNI`.
// Sends a ClientHello with SNI (SNIHostName) and ALPN h2, http/1.1, then waits for the peer to close.
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public class Hello {
    public static void main(String[] args) throws Exception {
        TrustManager[] trustAll = { new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) { }
            public void checkServerTrusted(X509Certificate[] c, String a) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        } };
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, trustAll, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(args[2])));
            p.setApplicationProtocols(new String[] { "h2", "http/1.1" });
            socket.setSSLParameters(p);
            socket.startHandshake();
        } catch (java.io.IOException e) {
            System.err.println("handshake ended as expected: " + e);
        }
        System.err.println(System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }
}
