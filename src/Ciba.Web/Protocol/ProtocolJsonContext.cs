using System.Text.Json.Serialization;
using Ciba.Application.Backchannel.Initiate;
using Ciba.Application.Backchannel.Redeem;
using Ciba.Application.Tokens.Introspect;
using Ciba.Application.UserInfo;
using Ciba.Web.Protocol.Discovery;

namespace Ciba.Web.Protocol;

/// <summary>Wire shapes of the protocol endpoints, snake_case, absent members omitted.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BackchannelAuthenticationResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(UserInfoResponse))]
[JsonSerializable(typeof(IntrospectionResponse))]
[JsonSerializable(typeof(DiscoveryDocument))]
[JsonSerializable(typeof(JsonWebKeySetDocument))]
public sealed partial class ProtocolJsonContext : JsonSerializerContext;
