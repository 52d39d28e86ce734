import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.SchemaOutputResolver;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlEnum;
import jakarta.xml.bind.annotation.XmlType;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Result;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Rebuilds one XML Schema per ISO 20022 message from Prowide's JAXB model (pw-iso20022, Apache-2.0),
 * whose classes Prowide generates from the ISO 20022 XSDs: element names, their order, cardinality
 * and the code-set enumerations survive the round trip; string patterns, lengths and decimal digit
 * facets do not (JAXB keeps none of them). See ../README.md.
 *
 * What schemagen gives is adjusted to match how ISO 20022 schemas validate an instance:
 * the types move into the message's namespace with qualified elements (schemagen leaves them in no
 * namespace), a global Document element is declared, and every *Choice type becomes an xs:choice of
 * required elements (JAXB models a choice as a sequence of optional fields, which would accept an
 * empty or doubled choice), and an element whose Java field is a code-set enum gets that enum's
 * simple type back (xjc marks such fields xs:string, so schemagen would drop the code list).
 *
 * Usage: java -cp "target/lib/*:." GenerateXsd OUT_DIR MxClass=namespace=file.xsd ...
 */
public class GenerateXsd {
  private static final String XS = "http://www.w3.org/2001/XMLSchema";

  public static void main(String[] args) throws Exception {
    File outDir = new File(args[0]);
    for (int i = 1; i < args.length; i++) {
      String[] spec = args[i].split("=", 3);
      generate(Class.forName("com.prowidesoftware.swift.model.mx." + spec[0]), spec[1], new File(outDir, spec[2]));
    }
  }

  private static void generate(Class<?> mxClass, String namespace, File out) throws Exception {
    Map<String, DOMResult> results = new LinkedHashMap<>();
    JAXBContext.newInstance(mxClass).generateSchema(new SchemaOutputResolver() {
      @Override
      public Result createOutput(String ns, String suggestedFileName) {
        DOMResult result = new DOMResult();
        result.setSystemId(suggestedFileName);
        results.put(ns, result);
        return result;
      }
    });
    // The types are all in the no-namespace schema; the namespaced one only declares Document.
    Document types = (Document) results.get("").getNode();
    Element schema = types.getDocumentElement();
    schema.setAttribute("targetNamespace", namespace);
    schema.setAttribute("xmlns", namespace);
    schema.setAttribute("elementFormDefault", "qualified");
    schema.removeAttribute("version");

    Element document = types.createElementNS(XS, "xs:element");
    document.setAttribute("name", "Document");
    document.setAttribute("type", "Document");
    schema.insertBefore(document, schema.getFirstChild());

    Map<String, Map<String, String>> enumElements = new HashMap<>();
    collectEnumElements(mxClass, enumElements, new HashSet<>());
    for (Element complexType : children(schema, "complexType")) {
      Map<String, String> enums = enumElements.get(complexType.getAttribute("name"));
      if (enums == null) continue;
      NodeList elements = complexType.getElementsByTagNameNS(XS, "element");
      for (int i = 0; i < elements.getLength(); i++) {
        Element element = (Element) elements.item(i);
        String enumType = enums.get(element.getAttribute("name"));
        if (enumType != null && "xs:string".equals(element.getAttribute("type"))) element.setAttribute("type", enumType);
      }
    }

    for (Element complexType : children(schema, "complexType")) {
      if (!complexType.getAttribute("name").endsWith("Choice")) continue;
      List<Element> sequences = children(complexType, "sequence");
      if (sequences.size() != 1) continue;
      Element sequence = sequences.get(0);
      Element choice = types.createElementNS(XS, "xs:choice");
      for (Element element : children(sequence, "element")) {
        element.removeAttribute("minOccurs");
        choice.appendChild(element);
      }
      complexType.replaceChild(choice, sequence);
    }

    var transformer = TransformerFactory.newInstance().newTransformer();
    transformer.setOutputProperty(OutputKeys.INDENT, "yes");
    transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
    transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
    Document clean = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
    clean.appendChild(clean.importNode(schema, true));
    clean.getDocumentElement().insertBefore(
        clean.createComment(" Rebuilt from Prowide pw-iso20022 SRU2025-10.3.10 (" + mxClass.getSimpleName()
            + ") by GenerateXsd.java: structure and code sets only, see README.md "),
        clean.getDocumentElement().getFirstChild());
    stripWhitespace(clean.getDocumentElement());
    transformer.transform(new DOMSource(clean), new StreamResult(out));
    System.out.println(out + " <- " + mxClass.getSimpleName() + " as " + namespace);
  }

  /** For each JAXB type reachable from `type`: its element names whose field is an @XmlEnum, with the enum's schema type name. */
  private static void collectEnumElements(Class<?> type, Map<String, Map<String, String>> found, Set<Class<?>> seen) {
    if (!seen.add(type) || type.getName().startsWith("java")) return;
    XmlType xmlType = type.getAnnotation(XmlType.class);
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        Class<?> fieldType = field.getType();
        if (List.class.isAssignableFrom(fieldType) && field.getGenericType() instanceof ParameterizedType p
            && p.getActualTypeArguments()[0] instanceof Class<?> element) {
          fieldType = element;
        }
        XmlElement xmlElement = field.getAnnotation(XmlElement.class);
        if (fieldType.isEnum() && fieldType.isAnnotationPresent(XmlEnum.class) && xmlElement != null && xmlType != null) {
          XmlType enumType = fieldType.getAnnotation(XmlType.class);
          String enumName = enumType != null && !enumType.name().equals("##default") ? enumType.name() : fieldType.getSimpleName();
          found.computeIfAbsent(xmlType.name(), k -> new HashMap<>()).put(xmlElement.name(), enumName);
        } else if (!fieldType.isPrimitive() && !fieldType.isEnum()) {
          collectEnumElements(fieldType, found, seen);
        }
      }
    }
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> found = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node node = nodes.item(i);
      if (node instanceof Element e && localName.equals(e.getLocalName())) found.add(e);
    }
    return found;
  }

  private static void stripWhitespace(Node node) {
    NodeList nodes = node.getChildNodes();
    for (int i = nodes.getLength() - 1; i >= 0; i--) {
      Node child = nodes.item(i);
      if (child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank()) node.removeChild(child);
      else stripWhitespace(child);
    }
  }
}
