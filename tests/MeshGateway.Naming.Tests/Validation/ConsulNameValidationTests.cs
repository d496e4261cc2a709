namespace MeshGateway.Naming.Tests.Validation;

public class ConsulNameValidationTests
{
    [Theory]
    [InlineData("dc1", ConsulNameError.None)]
    [InlineData("dc_1-east", ConsulNameError.None)]
    [InlineData("", ConsulNameError.Empty)]
    [InlineData("DC1", ConsulNameError.InvalidDatacenterCharacter)]
    [InlineData("dc 1", ConsulNameError.InvalidDatacenterCharacter)]
    [InlineData("dc1.east", ConsulNameError.ContainsDot)]
    public void Datacenters_match_consuls_lower_case_alphanumeric_dash_underscore_rule(string dc, ConsulNameError expected)
    {
        Assert.Equal(expected, ConsulNameValidation.ValidateDatacenter(dc));
    }

    [Fact]
    public void Datacenter_error_uses_consuls_wording()
    {
        Assert.Equal("datacenter cannot be \"DC1\". Please use only [a-z0-9-_].",
            ConsulNameValidation.Describe(ConsulNameError.InvalidDatacenterCharacter, "datacenter", "DC1"));
    }

    [Theory]
    [InlineData("api", ConsulNameError.None)]
    [InlineData("API_x+1", ConsulNameError.None)]
    [InlineData("", ConsulNameError.Empty)]
    [InlineData("a.b", ConsulNameError.ContainsDot)]
    public void Labels_must_be_non_empty_and_dot_free(string label, ConsulNameError expected)
    {
        Assert.Equal(expected, ConsulNameValidation.ValidateLabel(label));
    }

    [Fact]
    public void Labels_are_at_most_63_characters()
    {
        Assert.Equal(ConsulNameError.None, ConsulNameValidation.ValidateLabel(new string('a', 63)));
        Assert.Equal(ConsulNameError.LabelTooLong, ConsulNameValidation.ValidateLabel(new string('a', 64)));
        Assert.Equal(ConsulNameError.LabelTooLong, ConsulNameValidation.ValidateDatacenter(new string('a', 64)));
    }

    [Theory]
    [InlineData("a.consul", ConsulNameError.None)]
    [InlineData("a.consul.", ConsulNameError.None)]
    [InlineData("", ConsulNameError.Empty)]
    [InlineData(".", ConsulNameError.Empty)]
    [InlineData("a..consul", ConsulNameError.EmptyLabel)]
    [InlineData(".a.consul", ConsulNameError.EmptyLabel)]
    public void Dns_names_need_non_empty_labels(string name, ConsulNameError expected)
    {
        Assert.Equal(expected, ConsulNameValidation.ValidateDnsName(name));
        Assert.Equal(expected, ConsulNameValidation.ValidateTrustDomain(name));
    }

    [Fact]
    public void Dns_names_are_at_most_253_characters()
    {
        string ok = string.Join('.', Enumerable.Repeat(new string('a', 63), 4))[..253];
        Assert.Equal(ConsulNameError.None, ConsulNameValidation.ValidateDnsName(ok));
        Assert.Equal(ConsulNameError.NameTooLong, ConsulNameValidation.ValidateDnsName(ok + "a"));
        Assert.Equal(ConsulNameError.LabelTooLong, ConsulNameValidation.ValidateDnsName(new string('a', 64) + ".consul"));
    }

    [Fact]
    public void Every_error_has_a_description_naming_the_part()
    {
        foreach (ConsulNameError error in Enum.GetValues<ConsulNameError>())
        {
            Assert.Contains("service", ConsulNameValidation.Describe(error, "service", "x"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validating_a_built_name_reports_every_broken_rule_at_once()
    {
        var name = ConsulSniName.ForService(new string('s', 64), "v1", "ns", "part", "DC1", "td.consul");
        IReadOnlyList<string> errors = name.Validate();

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("service \"sss", StringComparison.Ordinal) && e.EndsWith("longer than 63 characters", StringComparison.Ordinal));
        Assert.Contains("datacenter cannot be \"DC1\". Please use only [a-z0-9-_].", errors);
        Assert.Empty(ConsulSniName.ForService("api", "v1", "ns", "part", "dc1", "td.consul").Validate());
    }

    [Fact]
    public void Validating_a_name_over_253_characters_reports_its_length()
    {
        string part = new('a', 60);
        var name = ConsulSniName.ForService(part, part, part, part, "dc1", "td.consul");
        Assert.Contains(name.Validate(), e => e.Contains("is longer than 253 characters", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("api", ConsulNameError.None)]
    [InlineData("Web_Server-2", ConsulNameError.None)]
    [InlineData("", ConsulNameError.Empty)]
    [InlineData("a.b", ConsulNameError.ContainsDot)]
    [InlineData("Web Server!", ConsulNameError.InvalidSniCharacter)]
    [InlineData("API_x+1", ConsulNameError.InvalidSniCharacter)]
    [InlineData("a=b", ConsulNameError.InvalidSniCharacter)]
    [InlineData("a\nb", ConsulNameError.InvalidSniCharacter)]
    [InlineData("caf\u00e9", ConsulNameError.InvalidSniCharacter)]
    public void Sni_labels_are_consul_labels_of_letters_digits_underscores_and_hyphens(string label, ConsulNameError expected)
    {
        Assert.Equal(expected, ConsulNameValidation.ValidateSniLabel(label));
    }

    [Theory]
    [InlineData("11111111-2222-3333-4444-555555555555.consul", ConsulNameError.None)]
    [InlineData("td.consul.", ConsulNameError.None)]
    [InlineData("not a domain", ConsulNameError.InvalidSniCharacter)]
    [InlineData("td.con=sul", ConsulNameError.InvalidSniCharacter)]
    [InlineData("td..consul", ConsulNameError.EmptyLabel)]
    [InlineData("", ConsulNameError.Empty)]
    public void Sni_names_have_only_letter_digit_underscore_hyphen_labels(string name, ConsulNameError expected)
    {
        Assert.Equal(expected, ConsulNameValidation.ValidateSniName(name));
    }

    [Fact]
    public void Consul_exact_label_check_still_accepts_what_consul_accepts()
    {
        // The builders stay Consul-exact: Consul only warns about such service names, so ValidateLabel lets them be.
        Assert.Equal(ConsulNameError.None, ConsulNameValidation.ValidateLabel("Web Server!"));
        Assert.Equal("web server!.default.dc1.internal.td".Length, ConsulSni.Service("web server!", null, null, null, "dc1", "td").Length);
    }

    [Fact]
    public void Error_messages_escape_control_bytes_and_quotes_in_the_value()
    {
        string message = ConsulNameValidation.Describe(ConsulNameError.InvalidSniCharacter, "service", "a\n\"b");

        Assert.Equal(
            "service \"a\\x0A\\\"b\" has the character U+000A at index 1; every label of a name in an SNI must be letters, digits, '_' or '-' ([A-Za-z0-9_-])",
            message);
        Assert.DoesNotContain('\n', message);
    }
}
