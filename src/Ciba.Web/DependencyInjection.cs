namespace Ciba.Web;

public static class DependencyInjection
{
    public static IServiceCollection AddWeb(this IServiceCollection services)
    {
        services.AddControllersWithViews();
        services.AddHttpContextAccessor();
        services.AddAuthentication();
        services.AddAuthorization();
        return services;
    }
}
