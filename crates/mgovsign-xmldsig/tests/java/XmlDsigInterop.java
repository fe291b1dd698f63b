// Interop peer for the mgovsign-xmldsig tests: the JDK's own XMLDSig (javax.xml.crypto,
// Apache Santuario inside the JDK, secure validation on). Compiled by tests/interop.rs with
// javac into a temporary directory.
//
//   java XmlDsigInterop verify IN.xml             exit 0 and "VALID" when every signature
//                                                 (found by namespace) validates
//   java XmlDsigInterop sign IN.xml OUT.xml KEY.pk8 CERT.der
//                                                 enveloped RSA-SHA256 signature, Reference
//                                                 URI="", enveloped + C14N WithComments,
//                                                 KeyInfo/X509Data/X509Certificate
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Collections;
import java.util.List;

import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.XMLStructure;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

public final class XmlDsigInterop {
    private static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("verify")) {
            System.exit(verify(args[1]) ? 0 : 1);
        } else if (args.length == 5 && args[0].equals("sign")) {
            sign(args[1], args[2], args[3], args[4]);
        } else {
            System.err.println("usage: verify IN | sign IN OUT KEY.pk8 CERT.der");
            System.exit(2);
        }
    }

    private static Document parse(String path) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new File(path));
    }

    /** Takes the key of the first X509Certificate in KeyInfo (trust is not this test's job). */
    private static final class X509KeySelector extends KeySelector {
        @Override
        public KeySelectorResult select(KeyInfo keyInfo, KeySelector.Purpose purpose,
                AlgorithmMethod method, XMLCryptoContext context) throws KeySelectorException {
            for (Object o : keyInfo.getContent()) {
                if (o instanceof X509Data) {
                    for (Object c : ((X509Data) o).getContent()) {
                        if (c instanceof X509Certificate) {
                            final PublicKey key = ((X509Certificate) c).getPublicKey();
                            return () -> key;
                        }
                    }
                }
            }
            throw new KeySelectorException("no X509Certificate in KeyInfo");
        }
    }

    private static boolean verify(String path) throws Exception {
        Document doc = parse(path);
        NodeList sigs = doc.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        if (sigs.getLength() == 0) {
            System.out.println("NO SIGNATURE");
            return false;
        }
        XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
        boolean all = true;
        // Last in, first out: validate signature k with the later ones detached.
        for (int k = sigs.getLength() - 1; k >= 0; k--) {
            org.w3c.dom.Node sigNode = sigs.item(k);
            DOMValidateContext ctx = new DOMValidateContext(new X509KeySelector(), sigNode);
            XMLSignature sig = fac.unmarshalXMLSignature(ctx);
            boolean ok = sig.validate(ctx);
            System.out.println("signature " + k + ": " + (ok ? "VALID" : "INVALID"));
            all &= ok;
            sigNode.getParentNode().removeChild(sigNode);
        }
        System.out.println(all ? "VALID" : "INVALID");
        return all;
    }

    private static void sign(String in, String out, String keyPath, String certPath)
            throws Exception {
        Document doc = parse(in);
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(Paths.get(keyPath))));
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Paths.get(certPath))));
        XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
        List<Transform> transforms = List.of(
                fac.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                fac.newTransform(CanonicalizationMethod.INCLUSIVE_WITH_COMMENTS,
                        (TransformParameterSpec) null));
        Reference ref = fac.newReference("", fac.newDigestMethod(DigestMethod.SHA256, null),
                transforms, null, null);
        SignedInfo si = fac.newSignedInfo(
                fac.newCanonicalizationMethod(CanonicalizationMethod.INCLUSIVE,
                        (C14NMethodParameterSpec) null),
                fac.newSignatureMethod(RSA_SHA256, null), Collections.singletonList(ref));
        KeyInfoFactory kif = fac.getKeyInfoFactory();
        KeyInfo ki = kif.newKeyInfo(Collections.singletonList(
                kif.newX509Data(Collections.singletonList(cert))));
        DOMSignContext ctx = new DOMSignContext(key, doc.getDocumentElement());
        ctx.setDefaultNamespacePrefix("ds");
        fac.newXMLSignature(si, ki).sign(ctx);
        try (OutputStream os = new FileOutputStream(out)) {
            TransformerFactory.newInstance().newTransformer()
                    .transform(new DOMSource(doc), new StreamResult(os));
        }
    }
}
