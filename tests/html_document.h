// Reading an HTML page in a test as a browser's parser would (libxml2's HTML
// parser) and asking it with XPath, so a test checks what a reader sees in
// a given place of the page (a table's row heading, an appendix entry)
// rather than whether a string occurs anywhere in the markup.
//
//   HtmlDocument page(html);
//   ASSERT_TRUE(page.ok());
//   page.Texts("//section[@class='by-unit']//tbody/tr/th")  // {"洪水镇人民政府", ...}
#ifndef RECTIFY_TESTS_HTML_DOCUMENT_H_
#define RECTIFY_TESTS_HTML_DOCUMENT_H_

#include <string>
#include <vector>

#include "libxml/HTMLparser.h"
#include "libxml/xpath.h"

namespace rectify::testing {

class HtmlDocument {
 public:
  explicit HtmlDocument(const std::string& html)
      : document_(htmlReadMemory(html.data(), static_cast<int>(html.size()), "page.html", "UTF-8",
                                 HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET)) {}
  ~HtmlDocument() {
    if (document_ != nullptr) xmlFreeDoc(document_);
  }
  HtmlDocument(const HtmlDocument&) = delete;
  HtmlDocument& operator=(const HtmlDocument&) = delete;

  bool ok() const { return document_ != nullptr; }

  // The text content of each node `xpath` selects, in document order,
  // with the white space at both ends removed; empty for a bad expression.
  std::vector<std::string> Texts(const std::string& xpath) const {
    std::vector<std::string> texts;
    if (document_ == nullptr) return texts;
    xmlXPathContextPtr context = xmlXPathNewContext(document_);
    xmlXPathObjectPtr found =
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), context);
    if (found != nullptr && found->nodesetval != nullptr) {
      for (int i = 0; i < found->nodesetval->nodeNr; ++i) {
        xmlChar* content = xmlNodeGetContent(found->nodesetval->nodeTab[i]);
        std::string text = content == nullptr ? "" : reinterpret_cast<const char*>(content);
        xmlFree(content);
        const size_t begin = text.find_first_not_of(" \t\r\n");
        const size_t end = text.find_last_not_of(" \t\r\n");
        texts.push_back(begin == std::string::npos ? "" : text.substr(begin, end - begin + 1));
      }
    }
    xmlXPathFreeObject(found);
    xmlXPathFreeContext(context);
    return texts;
  }

 private:
  htmlDocPtr document_;
};

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_HTML_DOCUMENT_H_
