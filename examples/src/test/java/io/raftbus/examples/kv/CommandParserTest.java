package io.raftbus.examples.kv;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandParserTest {

    private static ConsoleCommand parse(String line) throws UsageException {
        return CommandParser.parseLine(line).orElseThrow();
    }

    @Test
    void parsesEveryConsoleCommand() throws UsageException {
        assertEquals(new ConsoleCommand.Kv(new KvCommand.Put("a", "1")), parse("put a 1"));
        assertEquals(new ConsoleCommand.Kv(new KvCommand.Get("a")), parse("  GET   a "));
        assertEquals(new ConsoleCommand.Kv(new KvCommand.Delete("a")), parse("del a"));
        assertEquals(new ConsoleCommand.Kv(new KvCommand.Cas("a", "1", "2")), parse("cas a 1 2"));
        assertEquals(new ConsoleCommand.Status(), parse("status"));
        assertEquals(new ConsoleCommand.Kill("n2"), parse("kill n2"));
        assertEquals(new ConsoleCommand.Stop("n2"), parse("stop n2"));
        assertEquals(new ConsoleCommand.Restart("n2"), parse("restart n2"));
        assertEquals(new ConsoleCommand.Partition("n2"), parse("partition n2"));
        assertEquals(new ConsoleCommand.Heal("n2"), parse("heal n2"));
        assertEquals(new ConsoleCommand.Help(), parse("help"));
        assertEquals(new ConsoleCommand.Quit(), parse("quit"));
    }

    @Test
    void blankAndCommentLinesAreNotCommands() throws UsageException {
        assertEquals(Optional.empty(), CommandParser.parseLine(""));
        assertEquals(Optional.empty(), CommandParser.parseLine("   \t"));
        assertEquals(Optional.empty(), CommandParser.parseLine("# a comment"));
    }

    @Test
    void quotedWordsKeepSpacesAndEscapes() throws UsageException {
        assertEquals(new ConsoleCommand.Kv(new KvCommand.Put("greeting", "hello world")),
                parse("put greeting \"hello world\""));
        assertEquals(List.of("a", "say \"hi\" \\ ok", ""), CommandParser.tokenize("a \"say \\\"hi\\\" \\\\ ok\" \"\""));
        assertEquals(new ConsoleCommand.Kv(new KvCommand.Put("k", "")), parse("put k \"\""));
    }

    @Test
    void mistakesSayWhatIsWrong() {
        assertMessage("unknown command 'frobnicate'", "frobnicate x");
        assertMessage("missing argument; usage: put KEY VALUE", "put a");
        assertMessage("missing argument; usage: cas KEY OLD NEW", "cas a 1");
        assertMessage("too many arguments; usage: get KEY", "get a b");
        assertMessage("missing argument; usage: kill NODE", "kill");
        assertMessage("unclosed double quote", "put a \"b");
        assertMessage("must not be empty", "get \"\"");
    }

    private static void assertMessage(String expectedFragment, String line) {
        UsageException e = assertThrows(UsageException.class, () -> CommandParser.parseLine(line));
        assertTrue(e.getMessage().contains(expectedFragment), () -> "message was: " + e.getMessage());
    }
}
