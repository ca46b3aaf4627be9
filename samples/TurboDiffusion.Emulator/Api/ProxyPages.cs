using Microsoft.AspNetCore.Http;

namespace TurboDiffusion.Emulator;

/// <summary>The HTML pages nginx sends when it, not the API, answers.</summary>
internal static class ProxyPages
{
    public static IResult BadGateway() => Page(StatusCodes.Status502BadGateway, "502 Bad Gateway");

    public static IResult RequestEntityTooLarge() => Page(StatusCodes.Status413PayloadTooLarge, "413 Request Entity Too Large");

    private static IResult Page(int status, string title) => Results.Content(
        $"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
        "text/html",
        statusCode: status);
}
