import Testing
import YAMLKit

@Suite("Errors")
struct ErrorTests {
    @Test func tabIndentation() throws {
        let error = try #require(parseError("stores:\n\tmain: 1\n"))
        #expect(
            error.kind
                == .syntax(
                    problem: "found a tab character where indentation or a token was expected; YAML indents with spaces only",
                    context: "while scanning for the next token"))
        #expect(error.mark == mark(2, 1))
    }

    @Test func tabAfterIndentation() throws {
        let error = try #require(parseError("a:\n  b: 1\n\tc: 2\n"))
        #expect(error.kind == .syntax(problem: "found a tab character that violates indentation", context: "while scanning a plain scalar"))
        #expect(error.mark == mark(3, 1))
    }

    @Test func unclosedQuotePointsAtTheEndAndTheQuote() throws {
        let error = try #require(parseError("a: 1\nb: \"abc\nc: 2\n"))
        #expect(error.kind == .syntax(problem: "found unexpected end of stream", context: "while scanning a quoted scalar"))
        #expect(error.mark == mark(4, 1))
        #expect(error.contextMark == mark(2, 4))
        #expect(error.message == "YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 2, column 4)")
    }

    @Test func badIndentation() throws {
        let error = try #require(parseError("a:\n    b: 1\n  c: 2\n"))
        #expect(error.kind == .syntax(problem: "did not find expected key", context: "while parsing a block mapping"))
        #expect(error.mark == mark(3, 3))
    }

    @Test func valueIndentedUnderAScalar() throws {
        let error = try #require(parseError("a: 1\n b: 2\n"))
        #expect(error.kind == .syntax(problem: "mapping values are not allowed in this context", context: nil))
        #expect(error.mark == mark(2, 3))
        #expect(error.message == "YAML syntax error: mapping values are not allowed in this context")
    }

    @Test func unclosedFlowSequence() throws {
        let error = try #require(parseError("a: [1, 2\nb: 3\n"))
        #expect(error.kind == .syntax(problem: "did not find expected ',' or ']'", context: "while parsing a flow sequence"))
        #expect(error.mark == mark(2, 2))
        #expect(error.contextMark == mark(1, 4))
    }

    @Test func controlCharacterIsASyntaxErrorAtItsPosition() throws {
        let error = try #require(parseError("a: 1\nb: x\u{01}y\n"))
        #expect(error.kind == .syntax(problem: "control characters are not allowed", context: nil))
        #expect(error.mark == mark(2, 5))
    }

    @Test(arguments: ["", "   ", "\n\n", " \t\r\n  \n"])
    func emptyFile(text: String) throws {
        let error = try #require(parseError(text))
        #expect(error == YAMLError(.emptyFile, mark: mark(1, 1)))
    }

    @Test func byteOrderMarkAloneIsEmpty() throws {
        #expect(parseError([0xEF, 0xBB, 0xBF, 0x0A]) == YAMLError(.emptyFile, mark: mark(1, 1)))
    }

    @Test func onlyComments() throws {
        let error = try #require(parseError("\n# just a comment\n   # another\n"))
        #expect(error == YAMLError(.onlyComments, mark: mark(2, 1)))
        #expect(error.message.contains("only comments"))
    }

    @Test func twoDocuments() throws {
        let error = try #require(parseError("version: 1\n---\nversion: 2\n"))
        #expect(error == YAMLError(.multipleDocuments, mark: mark(2, 1)))
    }

    @Test func twoExplicitDocuments() throws {
        let error = try #require(parseError("---\na: 1\n...\n---\nb: 2\n"))
        #expect(error == YAMLError(.multipleDocuments, mark: mark(4, 1)))
    }

    @Test func oneExplicitDocumentIsFine() throws {
        #expect(try parse("---\na: 1\n...\n")["a"]?.text == "1")
    }

    @Test func invalidUTF8OnLineThree() throws {
        let bytes = Array("a: 1\nb: 2\nc: é".utf8) + [0xFF] + Array(" d\n".utf8)
        let error = try #require(parseError(bytes))
        #expect(error == YAMLError(.invalidUTF8, mark: mark(3, 5)))
        #expect(error.message.contains("UTF-8"))
    }

    @Test(arguments: [
        [0xC0, 0xAF] as [UInt8],  // overlong "/"
        [0xE0, 0x80, 0xAF],  // overlong
        [0xED, 0xA0, 0x80],  // surrogate
        [0xF4, 0x90, 0x80, 0x80],  // past U+10FFFF
        [0xE2, 0x82],  // truncated at the end
        [0x80],  // lone continuation byte
        [0xF8, 0x88, 0x80, 0x80, 0x80],
    ])
    func illFormedSequences(bad: [UInt8]) throws {
        let error = try #require(parseError(Array("key: ab".utf8) + bad))
        #expect(error == YAMLError(.invalidUTF8, mark: mark(1, 8)))
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let root = try YAMLParser.parse([0xEF, 0xBB, 0xBF] + Array("version: 1\n".utf8))
        #expect(root["version"]?.text == "1")
    }

    @Test func messagesAreSentences() {
        let kinds: [YAMLError.Kind] = [
            .syntax(problem: "p", context: nil), .emptyFile, .onlyComments, .multipleDocuments, .invalidUTF8,
            .duplicateKey(key: "k", firstMark: mark(1, 1)), .undefinedAlias(name: "a"),
            .aliasExpansionLimit(limit: 1), .depthLimit(limit: 1),
        ]
        for kind in kinds {
            #expect(!YAMLError(kind, mark: mark(1, 1)).message.isEmpty)
        }
    }
}
